/**
 * Rebalance storms: connector creates and updates issued through our provider while workers join
 * and leave. Connect answers 409 (or forwards to a leader that is changing) during rebalances; the
 * REST client retries, and every connector ends up exactly once with the config last given.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { ConnectorOutputs } from "../../components/provider/connectorProvider";
import { ConnectWorker, sleep, useCluster, waitFor } from "./harness";
import { FILE_SINK, ProviderDriver, restClient } from "./support";

const CONNECTORS = 12;
const PARALLEL = 4;

describe("rebalance storm", () => {
    const cluster = useCluster({ workers: 2, groupId: "storm", label: "storm" });

    test("creates and updates during worker churn all succeed, none lost or doubled", async (t) => {
        await cluster().broker.createTopic({ name: "storm-in", partitions: 4 });
        const names = Array.from({ length: CONNECTORS }, (_, i) => `storm-${String(i).padStart(2, "0")}`);
        const config = (name: string, tasks: number) => ({
            "connector.class": FILE_SINK,
            "tasks.max": String(tasks),
            topics: "storm-in",
            file: `${cluster().runDir}/${name}.txt`,
        });
        // Alternate the worker each connector talks to: half the requests need forwarding to the leader.
        const driverFor = (i: number) => new ProviderDriver(() => cluster().restUrl(i % 2), 180_000);

        let churning = true;
        const churn = (async () => {
            let cycles = 0;
            while (churning) {
                const joiner: ConnectWorker = await cluster().addWorker({ waitForGroup: false });
                await sleep(3_000);
                await joiner.stop();
                cycles++;
            }
            return cycles;
        })();

        let created: ConnectorOutputs[];
        let updated: ConnectorOutputs[];
        try {
            created = await inBatches(names, PARALLEL, (name, i) => driverFor(i).create(name, config(name, 1)));
            updated = await inBatches(
                created,
                PARALLEL,
                async (outs, i) => (await driverFor(i + 1).update(outs, config(outs.name, 2))).outs,
            );
        } finally {
            churning = false;
        }
        const cycles = await churn;
        t.diagnostic(`workers joined and left ${cycles} times while ${CONNECTORS} connectors were created and updated`);
        t.diagnostic(
            `409/5xx answers given by workers during rebalances (each retried by the client): ` +
                `${countTransientAnswers()}`,
        );
        assert.ok(cycles >= 1, "at least one worker joined and left during the operations");

        const client = restClient(cluster().restUrl(0));
        assert.deepEqual((await client.listConnectors()).sort(), names);
        for (const outs of updated) {
            assert.deepEqual((await client.getConnectorConfig(outs.name)) ?? {}, {
                ...config(outs.name, 2),
                name: outs.name,
            });
        }
        await waitFor(
            "every connector RUNNING with exactly its 2 tasks",
            async () => {
                const all = await client.listConnectorsExpanded();
                const ok = names.every((name) => {
                    const status = all[name]?.status;
                    return (
                        status?.connector.state === "RUNNING" &&
                        status.tasks.length === 2 &&
                        status.tasks.every((task) => task.state === "RUNNING")
                    );
                });
                return ok ? true : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 1_000 },
        );
    });

    /** The workers' access logs record every answer; 409s and 5xx are rebalances the client rode out. */
    function countTransientAnswers(): number {
        return cluster()
            .workers.map(
                (worker) => fs.readFileSync(worker.logFile, "utf8").match(/HTTP\/1\.1" (409|50\d) /g)?.length ?? 0,
            )
            .reduce((a, b) => a + b, 0);
    }
});

async function inBatches<T, R>(
    items: readonly T[],
    size: number,
    run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
    const results: R[] = [];
    for (let start = 0; start < items.length; start += size) {
        results.push(
            ...(await Promise.all(items.slice(start, start + size).map((item, offset) => run(item, start + offset)))),
        );
    }
    return results;
}
