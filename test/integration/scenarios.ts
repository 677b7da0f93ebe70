/**
 * The core scenarios, as functions of a running LocalCluster, so that the same code runs on the newest Kafka
 * (pipeline.test.ts, scaling.test.ts, failover.test.ts) and on the oldest supported one (oldestKafka.test.ts):
 * the seed pipeline created through a non-leader (forwarding to the leader), scaling up and down under a
 * steady stream, a worker killed with SIGKILL, and every worker stopped and started again.
 * Each scenario uses its own topic and connector (named after the scenario) and leaves the connector in place.
 * The scenario bodies moved here unchanged from those files (scaling now counts the workers running before).
 */
import assert from "node:assert/strict";
import { ConnectorOutputs } from "../../components/provider/connectorProvider";
import { LocalCluster, waitFor } from "./harness";
import {
    committedOffsets,
    countRecords,
    deliveryReport,
    FILE_SINK,
    ProviderDriver,
    recordValues,
    restClient,
    taskWorkers,
    waitForCommitsPast,
    waitForLagZero,
    waitForSinkSpread,
    waitForTasksOn,
} from "./support";

/** Where a scenario reports what it measured (node:test's TestContext). */
export interface Diagnostics {
    diagnostic(message: string): void;
}

const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };

/**
 * Deletes every connector (a previous scenario's), so that the next scenario starts on an empty cluster: for
 * files that run several scenarios on one cluster rather than start one per scenario.
 */
export async function deleteConnectors(cluster: LocalCluster): Promise<void> {
    const client = restClient(cluster.runningWorkers[0].restUrl);
    for (const name of await client.listConnectors()) {
        await client.deleteConnector(name);
    }
    assert.deepEqual(await client.listConnectors(), []);
}

/** The seed's topic. */
export const SEED_TOPIC = "szcode2.qa.avro.server";

/**
 * The seed pipeline: `connector` (a FileStreamSink from SEED_TOPIC, 3 partitions, into <run folder>/<connector>.txt)
 * created through a worker that is not the leader (only the leader writes configs, so this proves forwarding),
 * then 500 records that must arrive exactly once. Needs at least 2 running workers. Returns the provider's outputs.
 */
export async function seedPipelineScenario(cluster: LocalCluster, connector: string): Promise<ConnectorOutputs> {
    const sinkFile = `${cluster.runDir}/${connector}.txt`;
    await cluster.broker.createTopic({ name: SEED_TOPIC, partitions: 3 });
    const group = await cluster.waitForStableGroup();
    const nonLeader = group.members.find((worker) => worker !== group.leader);
    assert.ok(nonLeader, "one running worker is not the leader");
    const driver = new ProviderDriver(() => nonLeader.restUrl);
    const seed = await driver.create(connector, {
        "connector.class": "FileStreamSink",
        "tasks.max": "1",
        topics: SEED_TOPIC,
        file: sinkFile,
    });
    assert.equal(seed.connectorState, "RUNNING");
    assert.deepEqual(
        seed.tasks.map((task) => task.state),
        ["RUNNING"],
    );

    const values = recordValues("seed", 0, 500);
    await cluster.broker.produce(SEED_TOPIC, values);
    await waitForLagZero(cluster.broker, `connect-${connector}`, 3);
    assert.deepEqual(deliveryReport(values, countRecords([sinkFile], "seed")), EXACTLY_ONCE);
    return seed;
}

const SCALE_PARTITIONS = 6;

/**
 * Scaling N → N+1 → N workers (N the workers running now) under a steady stream of 200 records/s into a
 * 6-task FileStreamSink "scale-sink": the tasks spread over every worker, come back when the added worker stops
 * gracefully, and every record arrives exactly once.
 */
export async function scaleScenario(cluster: LocalCluster, t: Diagnostics): Promise<void> {
    const { broker } = cluster;
    const before = cluster.runningWorkers;
    const beforeIds = new Set(before.map((worker) => worker.restUrl.replace("http://", "")));
    await broker.createTopic({ name: "scale-in", partitions: SCALE_PARTITIONS });
    // All six tasks append to one file; countRecords counts whole tokens, so interleaved lines still count right.
    const sinkFile = `${cluster.runDir}/scale-sink.txt`;
    const client = restClient(before[0].restUrl);
    await new ProviderDriver(() => before[0].restUrl).create("scale-sink", {
        "connector.class": FILE_SINK,
        "tasks.max": String(SCALE_PARTITIONS),
        topics: "scale-in",
        file: sinkFile,
    });
    const producer = broker.startSteadyProducer({ topic: "scale-in", prefix: "scale", ratePerSecond: 200 });
    let acked = 0;
    try {
        // Records are in flight before, during and after each rebalance: each phase lasts until the
        // sink has written at least another second's worth of the stream.
        await recordsFlowing(sinkFile, 200);
        const added = await cluster.addWorker();
        const spread = await waitFor(
            `the ${SCALE_PARTITIONS} tasks RUNNING on all ${before.length + 1} workers`,
            async () => {
                const placement = await taskWorkers(client, "scale-sink");
                return placement.workers.size === before.length + 1 &&
                    placement.states.length === SCALE_PARTITIONS &&
                    placement.states.every((s) => s === "RUNNING")
                    ? placement
                    : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 500 },
        );
        t.diagnostic(`scaled up: tasks on ${[...spread.workers].join(" and ")}`);
        await recordsFlowing(sinkFile, 400);
        // Graceful (SIGTERM): the worker leaves the group at once, so its tasks move without waiting for
        // scheduled.rebalance.max.delay.ms, and its sink tasks commit what they wrote before stopping.
        await added.stop();
        await waitFor(
            "all tasks back on the workers running before",
            async () => {
                const placement = await taskWorkers(client, "scale-sink");
                const back =
                    placement.workers.size === beforeIds.size &&
                    [...placement.workers].every((id) => beforeIds.has(id));
                return back &&
                    placement.states.length === SCALE_PARTITIONS &&
                    placement.states.every((s) => s === "RUNNING")
                    ? true
                    : undefined;
            },
            { timeoutMs: 120_000, intervalMs: 500 },
        );
        await recordsFlowing(sinkFile, 400);
    } finally {
        acked = await producer.stop();
    }
    t.diagnostic(`${acked} records produced during the scale-up and scale-down`);
    await waitForLagZero(broker, "connect-scale-sink", SCALE_PARTITIONS);
    assert.ok(acked > 1_000, `a steady stream ran throughout (${acked} records)`);
    assert.deepEqual(deliveryReport(recordValues("scale", 0, acked), countRecords([sinkFile], "scale")), EXACTLY_ONCE);
}

/**
 * One of exactly 2 running workers killed with SIGKILL (a crashed pod) under a steady stream into a 4-task
 * FileStreamSink "failover-sink": its tasks move to the survivor (the leader) and no record is lost (some may come
 * twice: a killed task cannot commit what it wrote last).
 */
export async function sigkillScenario(cluster: LocalCluster, t: Diagnostics): Promise<void> {
    const { broker } = cluster;
    assert.equal(cluster.runningWorkers.length, 2, "the SIGKILL scenario starts with 2 running workers");
    await broker.createTopic({ name: "failover-in", partitions: 4 });
    // REST calls go to the survivor, so none of them is lost with the victim.
    const group = await cluster.waitForStableGroup();
    const survivor = group.leader;
    const victim = group.members.find((worker) => worker !== survivor)!;
    const [survivorId, victimId] = [survivor, victim].map((worker) => worker.restUrl.replace("http://", ""));
    const client = restClient(survivor.restUrl);
    const sinkFile = `${cluster.runDir}/failover-sink.txt`;
    await new ProviderDriver(() => survivor.restUrl).create("failover-sink", {
        "connector.class": FILE_SINK,
        "tasks.max": "4",
        topics: "failover-in",
        file: sinkFile,
    });
    const producer = broker.startSteadyProducer({ topic: "failover-in", prefix: "fo", ratePerSecond: 200 });
    let acked = 0;
    try {
        await waitForSinkSpread(broker, client, "failover-sink", [victimId, survivorId], 4);
        await victim.kill();
        const killedAt = Date.now();
        // The victim can commit nothing more: its partitions' offsets stay put until their tasks run elsewhere.
        const atKill = committedOffsets(await broker.describeConsumerGroup("connect-failover-sink"));
        await waitForTasksOn(client, "failover-sink", survivorId, 4, 120_000);
        t.diagnostic(
            `SIGKILL → all tasks RUNNING on the survivor: ${seconds(Date.now() - killedAt)} (worker session ` +
                `timeout + scheduled delay)`,
        );
        // RUNNING is not consuming yet: the moved tasks' consumers join connect-failover-sink, where the
        // dead worker's consumers stay members until their own session.timeout.ms expires (the component
        // renders consumer.session.timeout.ms=10000; Kafka's default is 45 s).
        await waitForCommitsPast(broker, "connect-failover-sink", atKill, 120_000);
        t.diagnostic(
            `SIGKILL → every partition's committed offset moving again: ${seconds(Date.now() - killedAt)} (sink ` +
                `consumer session timeout)`,
        );
    } finally {
        acked = await producer.stop();
    }
    await waitForLagZero(broker, "connect-failover-sink", 4);
    const report = deliveryReport(recordValues("fo", 0, acked), countRecords([sinkFile], "fo"));
    t.diagnostic(`${acked} records produced; ${report.duplicated.length} written twice after the SIGKILL`);
    assert.deepEqual(report.missing, []);
    assert.deepEqual(report.unexpected, []);
}

/**
 * Every running worker (at least 2) stopped, then started again with the same properties and ports: the
 * connector "restart-sink" (the only one: delete earlier scenarios' connectors first), its config and its offsets
 * come back from the topics, records produced while no worker ran are consumed from the committed offsets, and
 * nothing is delivered twice.
 */
export async function fullRestartScenario(cluster: LocalCluster, t: Diagnostics): Promise<void> {
    const { broker } = cluster;
    const workers = cluster.runningWorkers;
    assert.ok(workers.length >= 2, "the full-restart scenario starts with at least 2 running workers");
    await broker.createTopic({ name: "restart-in", partitions: 2 });
    const sinkFile = `${cluster.runDir}/restart-sink.txt`;
    const config = { "connector.class": FILE_SINK, "tasks.max": "2", topics: "restart-in", file: sinkFile };
    const driver = new ProviderDriver(() => workers[0].restUrl);
    const created: ConnectorOutputs = await driver.create("restart-sink", config);
    const batchA = recordValues("before", 0, 200);
    // Keyed, so both partitions get records (and committed offsets).
    const keyed = (values: string[]) => values.map((value, i) => ({ key: `k${i}`, value }));
    await broker.produce("restart-in", keyed(batchA));
    await waitForLagZero(broker, "connect-restart-sink", 2);

    await Promise.all(workers.map((worker) => worker.stop()));
    const batchB = recordValues("during", 0, 200);
    await broker.produce("restart-in", keyed(batchB));
    // With no worker running, the group has no members: what it will resume from is only in Kafka.
    const down = await broker.describeConsumerGroup("connect-restart-sink");
    t.diagnostic(
        `while down: group ${down.state}, committed ${JSON.stringify(Object.fromEntries(committedOffsets(down)))}`,
    );
    assert.equal(down.members, 0);
    assert.equal(sum(down.partitions.map((p) => p.committedOffset)), batchA.length, "batch A is committed in Kafka");
    assert.equal(sum(down.partitions.map((p) => p.lag)), batchB.length, "batch B waits behind the committed offsets");

    // Same properties files, same ports: nothing is re-created, the workers read the topics back.
    await Promise.all(workers.map((worker) => worker.restart()));
    await cluster.waitForStableGroup();
    const client = restClient(workers[1].restUrl);
    assert.deepEqual(
        await client.listConnectors(),
        ["restart-sink"],
        "the connector came back from the config topic, not re-created",
    );
    const read = await driver.read(created);
    assert.deepEqual(read?.config, config);
    await waitForLagZero(broker, "connect-restart-sink", 2);
    const up = await broker.describeConsumerGroup("connect-restart-sink");
    assert.equal(
        sum(up.partitions.map((p) => p.committedOffset)),
        batchA.length + batchB.length,
        "consumption continued from the committed offsets",
    );
    assert.deepEqual(
        deliveryReport(batchA, countRecords([sinkFile], "before")),
        EXACTLY_ONCE,
        "batch A: not re-delivered",
    );
    assert.deepEqual(
        deliveryReport(batchB, countRecords([sinkFile], "during")),
        EXACTLY_ONCE,
        "batch B: delivered after the restart",
    );
}

/** Waits until the sink file holds at least `more` records beyond what it holds now. */
async function recordsFlowing(sinkFile: string, more: number): Promise<void> {
    const total = () => [...countRecords([sinkFile], "scale").values()].reduce((a, b) => a + b, 0);
    const target = total() + more;
    await waitFor(`${more} more records in ${sinkFile}`, () => (total() >= target ? true : undefined), {
        timeoutMs: 120_000,
        intervalMs: 250,
    });
}

function sum(values: readonly number[]): number {
    return values.reduce((a, b) => a + b, 0);
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}
