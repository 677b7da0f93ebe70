/**
 * Renames and deletes without silent data loss, on real workers: where a sink connector continues
 * after a delete, a re-create, and a rename with each `onRename` choice. Driven through the provider,
 * in the order the engine calls it for a replacement (create the new, then delete the old).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useCluster, waitFor } from "./harness";
import { copyOffsetsRenameScenario, deliverInto, replaceConnector } from "./offsetScenarios";
import { countRecords, FILE_SINK, ProviderDriver, recordValues } from "./support";

const TOPIC = "orders";

describe("offsets across delete, re-create and rename", () => {
    const cluster = useCluster({ workers: 2, groupId: "offsets", label: "offsets" });
    const driver = new ProviderDriver(() => cluster().restUrl(0));
    const file = (name: string) => `${cluster().runDir}/${name}.txt`;
    const sinkConfig = (name: string) => ({
        "connector.class": FILE_SINK,
        "tasks.max": "2",
        topics: TOPIC,
        file: file(name),
    });
    let batch = 0;

    /** Produces a new batch and waits until `connector` has written all of it. */
    async function deliverBatch(connector: string): Promise<string[]> {
        const values = recordValues(`b${batch++}`, 0, 50);
        await deliverInto(cluster(), TOPIC, file(connector), values);
        return values;
    }

    function timesWritten(connector: string, values: readonly string[]): number[] {
        const counts = countRecords([file(connector)], values[0].split("-")[0]);
        return [...new Set(values.map((value) => counts.get(value) ?? 0))];
    }

    test(
        "a deleted connector created again under the same name continues where it stopped (offsets kept by " +
            "default)",
        async () => {
            await cluster().broker.createTopic({ name: TOPIC, partitions: 2 });
            const first = await driver.create("keeper", sinkConfig("keeper"));
            const before = await deliverBatch("keeper");
            await driver.delete(first);
            await driver.create("keeper", sinkConfig("keeper"));
            const after = await deliverBatch("keeper");
            assert.deepEqual(timesWritten("keeper", before), [1], "the first batch was not read again");
            assert.deepEqual(timesWritten("keeper", after), [1]);
        },
    );

    test("deleteOffsetsOnDelete removes them: the same name starts from the beginning again", async () => {
        const first = await driver.create("forgetter", sinkConfig("forgetter"));
        const seen = [...(await deliverBatch("keeper")), ...(await deliverBatch("forgetter"))];
        await driver.delete({ ...first, deleteOffsetsOnDelete: true });
        await driver.create("forgetter", sinkConfig("forgetter"));
        const earlier = seen.slice(0, 50);
        await waitFor(
            "the topic read again from the start",
            () => (timesWritten("forgetter", earlier).every((n) => n === 2) ? true : undefined),
            { timeoutMs: 90_000 },
        );
    });

    test(
        'rename with onRename "copy-offsets": the new connector continues exactly where the old ' + "one stopped",
        async () => {
            await copyOffsetsRenameScenario(cluster(), { topic: TOPIC, from: "orders-sink", to: "orders-sink-v2" });
        },
    );

    test(
        'rename with onRename "reset": the new connector starts afresh and reads the topic from the ' + "beginning",
        async () => {
            const old = await driver.create("audit-sink", sinkConfig("audit-sink"));
            const earlier = await deliverBatch("audit-sink");
            await replaceConnector(driver, old, "audit-sink-v2", sinkConfig("audit-sink-v2"), {
                from: "audit-sink",
                mode: "reset",
            });
            await waitFor(
                "the renamed sink re-reading the topic",
                () => (timesWritten("audit-sink-v2", earlier).every((n) => n === 1) ? true : undefined),
                { timeoutMs: 90_000 },
            );
        },
    );
});
