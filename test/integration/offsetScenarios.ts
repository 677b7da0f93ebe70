/**
 * Offsets on real workers, as functions of a running LocalCluster, so that the same code runs on the newest Kafka
 * (offsetsAsCode.test.ts, offsets.test.ts) and on the oldest supported one (oldestKafka.test.ts): a FileStreamSink
 * rewound through offsets as code (KIP-875), and a rename with onRename "copy-offsets". Both drive the provider as
 * the engine calls it, through the first running worker; each uses the topic and connector names it is given and
 * leaves its connector in place. The scenario bodies moved here unchanged from those two files.
 */
import assert from "node:assert/strict";
import {
    connectorProvider,
    ConnectorInputs,
    ConnectorOutputs,
    DeclaredOffsets,
} from "../../components/provider/connectorProvider";
import { ConnectorConfig } from "../../components/provider/connectorConfig";
import { LocalCluster, waitFor } from "./harness";
import { countRecords, FILE_SINK, ProviderDriver, recordValues, waitForLagZero } from "./support";

const provider = connectorProvider as Required<typeof connectorProvider>;

/** check → create, as the engine calls them for a new resource, with inputs beyond the config (`offsets`, …). */
export async function createWith(
    driver: ProviderDriver,
    name: string,
    config: ConnectorConfig,
    extra: Partial<ConnectorInputs>,
): Promise<ConnectorOutputs> {
    const news = { ...driver.inputs(name, config), ...extra };
    const checked = await provider.check({} as ConnectorInputs, news);
    assert.deepEqual(checked.failures ?? [], []);
    return (await provider.create(checked.inputs!)).outs!;
}

/** check → diff → update (when diff says so) with new declared offsets; returns whether anything changed. */
export async function declareOffsets(
    driver: ProviderDriver,
    olds: ConnectorOutputs,
    offsets: DeclaredOffsets,
): Promise<{ outs: ConnectorOutputs; changed: boolean }> {
    const news: ConnectorInputs = {
        ...driver.inputs(olds.name, olds.config),
        readOffsets: olds.readOffsets,
        offsets,
    };
    const checked = await provider.check(olds, news);
    assert.deepEqual(checked.failures ?? [], []);
    if (!(await provider.diff(olds.name, olds, checked.inputs!)).changes) {
        return { outs: olds, changed: false };
    }
    return { outs: (await provider.update(olds.name, olds, checked.inputs!)).outs!, changed: true };
}

/** What the engine does for a replacement: check and create the new resource, then delete the old. */
export async function replaceConnector(
    driver: ProviderDriver,
    old: ConnectorOutputs,
    name: string,
    config: ConnectorConfig,
    rename: NonNullable<ConnectorInputs["rename"]>,
): Promise<ConnectorOutputs> {
    const news = { ...driver.inputs(name, config), rename };
    const checked = (await provider.check(old, news)).inputs!;
    assert.deepEqual((await provider.diff(old.name, old, checked)).replaces, ["name"]);
    const created = (await provider.create(checked)).outs!;
    await provider.delete(old.name, old);
    return created;
}

/**
 * Produces `values` (all with one prefix) into `topic` and waits until `file` holds every one of them. Keyed, so
 * that every partition of the topic gets records (and the sink committed offsets for each).
 */
export async function deliverInto(
    cluster: LocalCluster,
    topic: string,
    file: string,
    values: readonly string[],
): Promise<void> {
    await cluster.broker.produce(
        topic,
        values.map((value, i) => ({ key: `k${i}`, value })),
    );
    const prefix = values[0].split("-")[0];
    await waitFor(
        `batch ${prefix} in ${file}`,
        () => (countRecords([file], prefix).size === values.length ? true : undefined),
        { timeoutMs: 90_000 },
    );
}

/** A driver on the first running worker (the SIGKILL scenario of a shared cluster stops another). */
function driverFor(cluster: LocalCluster): ProviderDriver {
    return new ProviderDriver(() => cluster.runningWorkers[0].restUrl);
}

/**
 * Offsets as code on a sink: a 1-task FileStreamSink `connector` (created with readOffsets) reads 100 records of a
 * new 1-partition `topic` into <run folder>/<connector>.txt, is set to offset 60 through check → diff → update, and
 * writes exactly records 60-99 a second time. The same declaration again, or after a refresh, is no change: 20 new
 * records arrive once, and nothing is rewound again.
 */
export async function sinkRewindScenario(
    cluster: LocalCluster,
    names: { readonly connector: string; readonly topic: string },
): Promise<void> {
    const { connector, topic } = names;
    const driver = driverFor(cluster);
    const sinkFile = `${cluster.runDir}/${connector}.txt`;
    await cluster.broker.createTopic({ name: topic, partitions: 1 });
    const first = recordValues("rw0", 0, 100);
    await cluster.broker.produce(topic, first);
    const config = { "connector.class": FILE_SINK, "tasks.max": "1", topics: topic, file: sinkFile };
    const created = await createWith(driver, connector, config, { readOffsets: true });
    await waitFor(
        "the first 100 records in the sink file",
        () => (countRecords([sinkFile], "rw0").size === 100 ? true : undefined),
        { timeoutMs: 120_000 },
    );
    await waitForLagZero(cluster.broker, `connect-${connector}`, 1);

    const to60: DeclaredOffsets = {
        set: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 60 } }],
    };
    const rewound = await declareOffsets(driver, created, to60);
    assert.equal(rewound.changed, true);
    assert.equal(rewound.outs.connectorState, "RUNNING");
    const counts = await waitFor(
        "records 60-99 written a second time",
        () => {
            const counts = countRecords([sinkFile], "rw0");
            return first.slice(60).every((value) => counts.get(value) === 2) ? counts : undefined;
        },
        { timeoutMs: 120_000 },
    );
    assert.deepEqual(
        first.map((value) => counts.get(value)),
        [...first.slice(0, 60).map(() => 1), ...first.slice(60).map(() => 2)],
        "records before offset 60 once, from offset 60 on exactly twice",
    );

    // Applied once: the same declaration again, or after a refresh, changes nothing; new records arrive once.
    assert.equal((await declareOffsets(driver, rewound.outs, to60)).changed, false);
    const refreshed = (await provider.read(connector, rewound.outs)).props as ConnectorOutputs;
    assert.equal((await declareOffsets(driver, refreshed, to60)).changed, false);
    const second = recordValues("rw1", 0, 20);
    await cluster.broker.produce(topic, second);
    await waitFor(
        "the next 20 records in the sink file",
        () => (countRecords([sinkFile], "rw1").size === 20 ? true : undefined),
        { timeoutMs: 120_000 },
    );
    await waitForLagZero(cluster.broker, `connect-${connector}`, 1);
    const after = new Map([...countRecords([sinkFile], "rw0"), ...countRecords([sinkFile], "rw1")]);
    assert.deepEqual(
        [...first, ...second].map((value) => after.get(value)),
        [...first.slice(0, 60).map(() => 1), ...first.slice(60).map(() => 2), ...second.map(() => 1)],
        "nothing rewound again",
    );
    const read = (await provider.read(connector, refreshed)).props as ConnectorOutputs;
    assert.deepEqual(read.currentOffsets, [
        { partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 120 } },
    ]);
}

/**
 * A rename with onRename "copy-offsets": a 2-task FileStreamSink `from` on `topic` (2 partitions; created if it does
 * not exist, and read from its beginning) writes a batch of 50, is replaced by `to` as the engine replaces a renamed
 * resource, and `to` continues exactly where `from` stopped: the next batch once, nothing from before the rename,
 * and its consumer group at lag 0 on both partitions. Files: <run folder>/<connector>.txt.
 */
export async function copyOffsetsRenameScenario(
    cluster: LocalCluster,
    names: { readonly topic: string; readonly from: string; readonly to: string },
): Promise<void> {
    const { topic, from, to } = names;
    const driver = driverFor(cluster);
    const file = (name: string) => `${cluster.runDir}/${name}.txt`;
    const sinkConfig = (name: string) => ({
        "connector.class": FILE_SINK,
        "tasks.max": "2",
        topics: topic,
        file: file(name),
    });
    await cluster.broker.createTopics([{ name: topic, partitions: 2 }], { ifNotExists: true });

    const old = await driver.create(from, sinkConfig(from));
    const beforeRename = recordValues("rn0", 0, 50);
    await deliverInto(cluster, topic, file(from), beforeRename);
    const renamed = await replaceConnector(driver, old, to, sinkConfig(to), { from, mode: "copy-offsets" });
    assert.equal(renamed.connectorState, "RUNNING");
    const afterRename = recordValues("rn1", 0, 50);
    await deliverInto(cluster, topic, file(to), afterRename);
    const counts = countRecords([file(to)], "rn1");
    assert.deepEqual(
        [...new Set(afterRename.map((value) => counts.get(value) ?? 0))],
        [1],
        "the batch after the rename, each record once",
    );
    assert.equal(countRecords([file(to)], "rn0").size, 0, "nothing from before the rename is read again");
    const group = await cluster.broker.describeConsumerGroup(`connect-${to}`);
    assert.deepEqual(
        group.partitions.map((p) => p.lag),
        [0, 0],
        "the new connector's consumer group started from the copied offsets",
    );
}
