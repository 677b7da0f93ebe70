/**
 * Failures, on real workers: a worker killed with SIGKILL (a crashed pod), and every worker stopped and
 * started again (a full restart). The cluster's state lives in its three topics, so work moves or
 * resumes without losing records.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConnectorOutputs } from "../../components/connect/connectorProvider";
import { SteadyProducer, sleep, useCluster, waitFor } from "./harness";
import { countRecords, deliveryReport, FILE_SINK, ProviderDriver, recordValues, restClient, taskWorkers, waitForLagZero } from "./support";

describe("a worker killed with SIGKILL", () => {
    // The harness's scheduled.rebalance.max.delay.ms is 10 s (the component's default is 30 s) to keep
    // CI short; bench/ P3 measures failover with the component's default and with Kafka's.
    const cluster = useCluster({ workers: 2, groupId: "failover", label: "failover" });

    test("its tasks move to the survivor and no record is lost", async (t) => {
        await cluster().broker.createTopic({ name: "failover-in", partitions: 4 });
        const group = await cluster().waitForStableGroup();
        const survivor = group.leader;
        const victim = group.members.find((worker) => worker !== survivor)!;
        const client = restClient(survivor.restUrl);
        const sinkFile = `${cluster().runDir}/failover-sink.txt`;
        await new ProviderDriver(() => survivor.restUrl).create("failover-sink", { "connector.class": FILE_SINK, "tasks.max": "4", topics: "failover-in", file: sinkFile });
        const producer = SteadyProducer.start(cluster().broker.bootstrapServers, cluster().run, { topic: "failover-in", prefix: "fo", ratePerSecond: 200 });
        let acked = 0;
        try {
            const victimId = victim.restUrl.replace("http://", "");
            await waitFor("tasks RUNNING on both workers", async () => ((await taskWorkers(client, "failover-sink")).workers.has(victimId) ? true : undefined), {
                timeoutMs: 120_000,
                intervalMs: 500,
            });
            await sleep(2_000);
            await victim.kill();
            const survivorId = survivor.restUrl.replace("http://", "");
            await waitFor(
                "all 4 tasks RUNNING on the survivor",
                async () => {
                    const placement = await taskWorkers(client, "failover-sink");
                    return placement.workers.size === 1 && placement.workers.has(survivorId) && placement.states.length === 4 && placement.states.every((s) => s === "RUNNING") ? true : undefined;
                },
                { timeoutMs: 120_000, intervalMs: 500 },
            );
            await sleep(2_000);
        } finally {
            acked = await producer.stop();
        }
        await waitForLagZero(cluster().broker, "connect-failover-sink", 4);
        const report = deliveryReport(recordValues("fo", 0, acked), countRecords([sinkFile], "fo"));
        // A killed task cannot commit what it wrote last: at-least-once means some records may come twice.
        t.diagnostic(`${acked} records produced; ${report.duplicated.length} written twice after the SIGKILL`);
        assert.deepEqual(report.missing, []);
        assert.deepEqual(report.unexpected, []);
    });
});

describe("every worker stopped, then started again", () => {
    const cluster = useCluster({ workers: 2, groupId: "restart", label: "restart" });

    test("connectors, config and offsets come back from the topics; consumption continues where it stopped", async () => {
        await cluster().broker.createTopic({ name: "restart-in", partitions: 2 });
        const sinkFile = `${cluster().runDir}/restart-sink.txt`;
        const config = { "connector.class": FILE_SINK, "tasks.max": "2", topics: "restart-in", file: sinkFile };
        const driver = new ProviderDriver(() => cluster().restUrl(0));
        const created: ConnectorOutputs = await driver.create("restart-sink", config);
        const before = recordValues("before", 0, 200);
        // Keyed, so both partitions get records (and committed offsets).
        const keyed = (values: string[]) => values.map((value, i) => ({ key: `k${i}`, value }));
        await cluster().broker.produce("restart-in", keyed(before));
        await waitForLagZero(cluster().broker, "connect-restart-sink", 2);

        await Promise.all(cluster().workers.map((worker) => worker.stop()));
        const during = recordValues("during", 0, 200);
        await cluster().broker.produce("restart-in", keyed(during));
        const committed = await cluster().broker.describeConsumerGroup("connect-restart-sink");
        assert.deepEqual(committed.partitions.map((p) => p.lag).reduce((a, b) => a + b, 0), during.length, "the records produced while down wait behind the committed offsets");

        await Promise.all(cluster().workers.map((worker) => worker.restart()));
        await cluster().waitForStableGroup();
        const client = restClient(cluster().restUrl(1));
        assert.deepEqual(await client.listConnectors(), ["restart-sink"], "the connector came back from the config topic, not re-created");
        const read = await driver.read(created);
        assert.deepEqual(read?.config, config);
        await waitForLagZero(cluster().broker, "connect-restart-sink", 2);
        const counts = countRecords([sinkFile], "before");
        assert.deepEqual(deliveryReport(before, counts), { missing: [], duplicated: [], unexpected: [] });
        assert.deepEqual(deliveryReport(during, countRecords([sinkFile], "during")), { missing: [], duplicated: [], unexpected: [] });
    });
});
