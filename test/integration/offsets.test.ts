/**
 * Renames and deletes without silent data loss, on real workers: where a sink connector continues
 * after a delete, a re-create, and a rename with each `onRename` choice. Driven through the provider,
 * in the order the engine calls it for a replacement (create the new, then delete the old).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connectorProvider, ConnectorInputs, ConnectorOutputs } from "../../components/provider/connectorProvider";
import { useCluster, waitFor } from "./harness";
import { countRecords, FILE_SINK, ProviderDriver, recordValues } from "./support";

const TOPIC = "orders";
const provider = connectorProvider as Required<typeof connectorProvider>;

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
        await cluster().broker.produce(TOPIC, values);
        const prefix = values[0].split("-")[0];
        await waitFor(
            `batch ${prefix} in ${connector}'s file`,
            () => (countRecords([file(connector)], prefix).size === values.length ? true : undefined),
            {
                timeoutMs: 90_000,
            },
        );
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
            const old = await driver.create("orders-sink", sinkConfig("orders-sink"));
            const beforeRename = await deliverBatch("orders-sink");
            const renamed = await replace(old, "orders-sink-v2", { from: "orders-sink", mode: "copy-offsets" });
            assert.equal(renamed.connectorState, "RUNNING");
            const afterRename = await deliverBatch("orders-sink-v2");
            assert.deepEqual(timesWritten("orders-sink-v2", afterRename), [1]);
            assert.equal(
                countRecords([file("orders-sink-v2")], beforeRename[0].split("-")[0]).size,
                0,
                "nothing from before the rename is read again",
            );
            const group = await cluster().broker.describeConsumerGroup("connect-orders-sink-v2");
            assert.deepEqual(
                group.partitions.map((p) => p.lag),
                [0, 0],
                "the new connector's consumer group started from the copied offsets",
            );
        },
    );

    test(
        'rename with onRename "reset": the new connector starts afresh and reads the topic from the ' + "beginning",
        async () => {
            const old = await driver.create("audit-sink", sinkConfig("audit-sink"));
            const earlier = await deliverBatch("audit-sink");
            await replace(old, "audit-sink-v2", { from: "audit-sink", mode: "reset" });
            await waitFor(
                "the renamed sink re-reading the topic",
                () => (timesWritten("audit-sink-v2", earlier).every((n) => n === 1) ? true : undefined),
                { timeoutMs: 90_000 },
            );
        },
    );

    /** What the engine does for a replacement: check and create the new resource, then delete the old. */
    async function replace(
        old: ConnectorOutputs,
        name: string,
        rename: NonNullable<ConnectorInputs["rename"]>,
    ): Promise<ConnectorOutputs> {
        const news = { ...driver.inputs(name, sinkConfig(name)), rename };
        const checked = (await provider.check(old, news)).inputs!;
        assert.deepEqual((await provider.diff(old.name, old, checked)).replaces, ["name"]);
        const created = (await provider.create(checked)).outs!;
        await provider.delete(old.name, old);
        return created;
    }
});
