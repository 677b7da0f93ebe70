/**
 * Failures, on real workers: a worker killed with SIGKILL (a crashed pod), and every worker stopped and
 * started again (a full restart). The cluster's state lives in its three topics, so work moves or
 * resumes without losing records.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConnectorOutputs } from "../../components/provider/connectorProvider";
import { useCluster } from "./harness";
import {
    committedOffsets,
    countRecords,
    deliveryReport,
    FILE_SINK,
    ProviderDriver,
    recordValues,
    restClient,
    waitForCommitsPast,
    waitForLagZero,
    waitForSinkSpread,
    waitForTasksOn,
} from "./support";

const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };

describe("a worker killed with SIGKILL", () => {
    // The harness's scheduled.rebalance.max.delay.ms is 10 s (the component's default is 30 s, Kafka's
    // 5 min) to keep CI short; bench/p3Failover.ts measures failover with the component's and Kafka's.
    const cluster = useCluster({ workers: 2, groupId: "failover", label: "failover" });

    test("its tasks move to the survivor and no record is lost", async (t) => {
        const { broker } = cluster();
        await broker.createTopic({ name: "failover-in", partitions: 4 });
        // REST calls go to the survivor, so none of them is lost with the victim.
        const group = await cluster().waitForStableGroup();
        const survivor = group.leader;
        const victim = group.members.find((worker) => worker !== survivor)!;
        const [survivorId, victimId] = [survivor, victim].map((worker) => worker.restUrl.replace("http://", ""));
        const client = restClient(survivor.restUrl);
        const sinkFile = `${cluster().runDir}/failover-sink.txt`;
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
        // A killed task cannot commit what it wrote last: at-least-once means some records may come twice.
        t.diagnostic(`${acked} records produced; ${report.duplicated.length} written twice after the SIGKILL`);
        assert.deepEqual(report.missing, []);
        assert.deepEqual(report.unexpected, []);
    });
});

describe("every worker stopped, then started again", () => {
    const cluster = useCluster({ workers: 2, groupId: "restart", label: "restart" });

    test(
        "connectors, config and offsets come back from the topics; consumption continues where " + "it stopped",
        async (t) => {
            const { broker } = cluster();
            await broker.createTopic({ name: "restart-in", partitions: 2 });
            const sinkFile = `${cluster().runDir}/restart-sink.txt`;
            const config = { "connector.class": FILE_SINK, "tasks.max": "2", topics: "restart-in", file: sinkFile };
            const driver = new ProviderDriver(() => cluster().restUrl(0));
            const created: ConnectorOutputs = await driver.create("restart-sink", config);
            const batchA = recordValues("before", 0, 200);
            // Keyed, so both partitions get records (and committed offsets).
            const keyed = (values: string[]) => values.map((value, i) => ({ key: `k${i}`, value }));
            await broker.produce("restart-in", keyed(batchA));
            await waitForLagZero(broker, "connect-restart-sink", 2);

            await Promise.all(cluster().workers.map((worker) => worker.stop()));
            const batchB = recordValues("during", 0, 200);
            await broker.produce("restart-in", keyed(batchB));
            // With no worker running, the group has no members: what it will resume from is only in Kafka.
            const down = await broker.describeConsumerGroup("connect-restart-sink");
            t.diagnostic(
                `while down: group ${down.state}, committed ` +
                    `${JSON.stringify(Object.fromEntries(committedOffsets(down)))}`,
            );
            assert.equal(down.members, 0);
            assert.equal(
                sum(down.partitions.map((p) => p.committedOffset)),
                batchA.length,
                "batch A is committed in Kafka",
            );
            assert.equal(
                sum(down.partitions.map((p) => p.lag)),
                batchB.length,
                "batch B waits behind the committed offsets",
            );

            // Same properties files, same ports: nothing is re-created, the workers read the topics back.
            await Promise.all(cluster().workers.map((worker) => worker.restart()));
            await cluster().waitForStableGroup();
            const client = restClient(cluster().restUrl(1));
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
        },
    );
});

/** Committed offset per partition ("topic-partition"). */
function sum(values: readonly number[]): number {
    return values.reduce((a, b) => a + b, 0);
}

function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}
