/**
 * The seed's central claim, on real workers: in distributed mode, scaling from 1 to 2 workers and back
 * splits the work and delivers every record exactly once, under a steady stream. And the contrast the
 * seed observed: copies of the same work in standalone workers each do all of it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { before, describe, test } from "node:test";
import { ConsumedRecord, sleep, useCluster, waitFor } from "./harness";
import {
    countRecords,
    deliveryReport,
    FILE_SINK,
    FILE_SOURCE,
    ProviderDriver,
    recordValues,
    waitForLagZero,
} from "./support";
import { scaleScenario } from "./scenarios";

const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };

describe("scaling a distributed cluster 1 → 2 → 1 under a steady stream", () => {
    const cluster = useCluster({ workers: 1, groupId: "scaling", label: "scaling" });

    test("tasks spread over both workers and back; every record arrives once", async (t) => {
        await scaleScenario(cluster(), t);
    });
});

/**
 * Why the seed saw every record twice after scaling standalone pods to 2: each standalone worker runs its
 * own copy of every connector it was given, with its own offsets file. What that does depends on the kind:
 *  - a SINK connector's copies still share the consumer group `connect-<name>`: Kafka splits the
 *    partitions between them, so nothing is duplicated (but nothing coordinates them either);
 *  - a SOURCE connector's copies have nothing to share: each reads the whole input and writes all of it.
 * In a distributed cluster the connector exists once, in the config topic, and its task runs on one worker.
 */
describe("the same connectors in 2 standalone workers vs a 2-worker distributed cluster", () => {
    const cluster = useCluster({ workers: 2, groupId: "contrast", label: "contrast" });
    const LINES = recordValues("line", 0, 100);
    const input = () => `${cluster().runDir}/input.txt`;
    before(() => fs.writeFileSync(input(), LINES.join("\n") + "\n"));

    describe("two standalone workers, each given the same source and the same sink connector", () => {
        const sinkFile = (worker: string) => `${cluster().runDir}/${worker}-sink.txt`;
        before(async () => {
            const { broker } = cluster();
            await broker.createTopics([
                { name: "standalone-out", partitions: 1 },
                { name: "standalone-sink-in", partitions: 2 },
            ]);
            const source = {
                name: "file-source",
                "connector.class": FILE_SOURCE,
                "tasks.max": "1",
                file: input(),
                topic: "standalone-out",
            };
            await Promise.all(
                ["standalone-a", "standalone-b"].map((name) => {
                    const sink = {
                        name: "file-sink",
                        "connector.class": FILE_SINK,
                        "tasks.max": "1",
                        topics: "standalone-sink-in",
                        file: sinkFile(name),
                    };
                    return cluster().startStandaloneWorker({ name, connectors: [source, sink] });
                }),
            );
        });

        test("source: each copy reads the whole file, so every line arrives twice", async () => {
            const counts = await waitFor(
                "both standalone workers to copy the file",
                async () => {
                    const counts = valueCounts(await cluster().broker.consume("standalone-out", 10_000));
                    return LINES.every((line) => counts.get(line) === 2) ? counts : undefined;
                },
                { timeoutMs: 90_000, intervalMs: 1_000 },
            );
            assert.deepEqual([...counts.keys()].sort(), LINES);
            assert.deepEqual([...new Set(counts.values())], [2]);
        });

        test(
            "sink: both copies join connect-file-sink and split the partitions, so every record " + "arrives once",
            async () => {
                const { broker } = cluster();
                // Produce only once both copies are in the group: no rebalance while records are consumed.
                await waitFor(
                    "both standalone sink copies in consumer group connect-file-sink",
                    async () => {
                        const group = await broker.describeConsumerGroup("connect-file-sink");
                        return group.state === "STABLE" && group.members === 2 ? true : undefined;
                    },
                    { timeoutMs: 90_000, intervalMs: 1_000 },
                );
                const values = recordValues("shared", 0, 200);
                await broker.produce(
                    "standalone-sink-in",
                    values.map((value, i) => ({ key: `k${i}`, value })),
                );
                await waitForLagZero(broker, "connect-file-sink", 2);
                const files = ["standalone-a", "standalone-b"].map(sinkFile);
                assert.deepEqual(deliveryReport(values, countRecords(files, "shared")), EXACTLY_ONCE);
                for (const file of files) {
                    assert.ok(countRecords([file], "shared").size > 0, `${file} got a share of the partitions`);
                }
            },
        );
    });

    test("distributed: the same source connector, created once for 2 workers, delivers every line once", async () => {
        const { broker } = cluster();
        await broker.createTopic({ name: "distributed-out", partitions: 1 });
        await new ProviderDriver(() => cluster().restUrl(0)).create("file-source", {
            "connector.class": FILE_SOURCE,
            "tasks.max": "1",
            file: input(),
            topic: "distributed-out",
        });
        await waitFor(
            "the file copied",
            async () =>
                valueCounts(await broker.consume("distributed-out", 10_000)).size === LINES.length ? true : undefined,
            {
                timeoutMs: 90_000,
                intervalMs: 1_000,
            },
        );
        // A second copy, if one existed, would have started at about the same time: give it a few
        // seconds to show up before counting again.
        await sleep(3_000);
        const counts = valueCounts(await broker.consume("distributed-out", 10_000));
        assert.deepEqual([...counts.keys()].sort(), LINES);
        assert.deepEqual([...new Set(counts.values())], [1]);
    });
});

function valueCounts(records: readonly ConsumedRecord[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const record of records) {
        counts.set(record.value ?? "", (counts.get(record.value ?? "") ?? 0) + 1);
    }
    return counts;
}
