/**
 * The seed's central claim, on real workers: in distributed mode, scaling from 1 to 2 workers and back
 * splits the work and delivers every record exactly once, under a steady stream. And the contrast the
 * seed observed: copies of the same work in standalone workers each do all of it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { SteadyProducer, sleep, useCluster, waitFor } from "./harness";
import { countRecords, deliveryReport, FILE_SINK, FILE_SOURCE, ProviderDriver, recordValues, restClient, taskWorkers, waitForLagZero } from "./support";

const PARTITIONS = 6;

describe("scaling a distributed cluster 1 → 2 → 1 under a steady stream", () => {
    const cluster = useCluster({ workers: 1, groupId: "scaling", label: "scaling" });

    test("tasks spread over both workers and back; every record arrives once", async (t) => {
        await cluster().broker.createTopic({ name: "scale-in", partitions: PARTITIONS });
        const sinkFile = `${cluster().runDir}/scale-sink.txt`;
        const first = cluster().workers[0];
        const client = restClient(first.restUrl);
        await new ProviderDriver(() => first.restUrl).create("scale-sink", { "connector.class": FILE_SINK, "tasks.max": String(PARTITIONS), topics: "scale-in", file: sinkFile });
        const producer = SteadyProducer.start(cluster().broker.bootstrapServers, cluster().run, { topic: "scale-in", prefix: "scale", ratePerSecond: 200 });
        let acked = 0;
        try {
            await sleep(3_000);
            const second = await cluster().addWorker();
            const spread = await waitFor(
                "the 6 tasks RUNNING on both workers",
                async () => {
                    const placement = await taskWorkers(client, "scale-sink");
                    return placement.workers.size === 2 && placement.states.length === PARTITIONS && placement.states.every((s) => s === "RUNNING") ? placement : undefined;
                },
                { timeoutMs: 120_000, intervalMs: 500 },
            );
            t.diagnostic(`scaled up: tasks on ${[...spread.workers].join(" and ")}`);
            await sleep(3_000);
            await second.stop();
            const firstId = first.restUrl.replace("http://", "");
            await waitFor(
                "all tasks back on the first worker",
                async () => {
                    const placement = await taskWorkers(client, "scale-sink");
                    return placement.workers.size === 1 && placement.workers.has(firstId) && placement.states.every((s) => s === "RUNNING") ? true : undefined;
                },
                { timeoutMs: 120_000, intervalMs: 500 },
            );
            await sleep(2_000);
        } finally {
            acked = await producer.stop();
        }
        t.diagnostic(`${acked} records produced during the scale-up and scale-down`);
        await waitForLagZero(cluster().broker, "connect-scale-sink", PARTITIONS);
        assert.ok(acked > 1_000, `a steady stream ran throughout (${acked} records)`);
        assert.deepEqual(deliveryReport(recordValues("scale", 0, acked), countRecords([sinkFile], "scale")), { missing: [], duplicated: [], unexpected: [] });
    });
});

/**
 * Why the seed saw every record twice after scaling standalone pods to 2: each standalone worker runs
 * its own copy of every connector, with its own offsets file. (A *sink* connector with the same name
 * would still share the consumer group `connect-<name>` and split partitions; a *source* connector has
 * nothing to share, so the copies each do all the work.) In a distributed cluster the connector exists
 * once and its task runs on one worker.
 */
describe("the same source connector in 2 standalone workers vs a 2-worker distributed cluster", () => {
    const cluster = useCluster({ workers: 2, groupId: "contrast", label: "contrast" });
    const LINES = recordValues("line", 0, 100);

    test("standalone: every line arrives twice", async () => {
        const input = `${cluster().runDir}/input.txt`;
        fs.writeFileSync(input, LINES.join("\n") + "\n");
        await cluster().broker.createTopic({ name: "standalone-out", partitions: 1 });
        const connector = { name: "file-source", "connector.class": FILE_SOURCE, "tasks.max": "1", file: input, topic: "standalone-out" };
        await Promise.all(["standalone-a", "standalone-b"].map((name) => cluster().startStandaloneWorker({ name, connectors: [connector] })));
        const counts = await waitFor(
            "both standalone workers to copy the file",
            async () => {
                const counts = valueCounts(await cluster().broker.consume("standalone-out", 10_000));
                return LINES.every((line) => counts.get(line) === 2) ? counts : undefined;
            },
            { timeoutMs: 90_000, intervalMs: 1_000 },
        );
        assert.deepEqual([...new Set(counts.values())], [2]);
    });

    test("distributed: every line arrives once", async () => {
        const input = `${cluster().runDir}/input.txt`;
        await cluster().broker.createTopic({ name: "distributed-out", partitions: 1 });
        await new ProviderDriver(() => cluster().restUrl(0)).create("file-source", { "connector.class": FILE_SOURCE, "tasks.max": "1", file: input, topic: "distributed-out" });
        await waitFor("the file copied", async () => (valueCounts(await cluster().broker.consume("distributed-out", 10_000)).size === LINES.length ? true : undefined), {
            timeoutMs: 90_000,
            intervalMs: 1_000,
        });
        await sleep(3_000);
        const counts = valueCounts(await cluster().broker.consume("distributed-out", 10_000));
        assert.deepEqual([...counts.keys()].sort(), LINES);
        assert.deepEqual([...new Set(counts.values())], [1]);
    });
});

function valueCounts(records: readonly { value: string | null }[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const record of records) {
        counts.set(record.value ?? "", (counts.get(record.value ?? "") ?? 0) + 1);
    }
    return counts;
}
