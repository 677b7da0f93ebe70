/**
 * A Kafka outage under running connectors (issue #13, item 4), on 2 real workers: the broker stopped for at least
 * 60 s (in fact as long as the create below takes to fail: its 120 s deadline) and started again. The workers
 * recover by themselves (no restart), the running sink continues from its committed offsets with nothing lost,
 * a create issued through the provider during the outage (as `pulumi up` would) fails within its deadline saying
 * the Kafka cluster is unreachable, and the same create succeeds after.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConnectClusterError } from "../../components/errors";
import { sleep, useCluster } from "./harness";
import { countRecords, deliveryReport, FILE_SINK, ProviderDriver, recordValues, waitForLagZero } from "./support";

const TOPIC = "bo-in";
const PARTITIONS = 2;
const BATCH = 200;
const OUTAGE_MS = 60_000;
/** The provider's deadline for the create during the outage (as connectorReadyTimeoutSeconds bounds it). */
const CREATE_DEADLINE_MS = 120_000;

describe("Kafka broker stopped for 60 s or more under running connectors", () => {
    const cluster = useCluster({ workers: 2, groupId: "broker-outage", label: "broker-outage" });
    const sinkFile = (name: string) => `${cluster().runDir}/${name}.txt`;
    const config = (name: string) => ({
        "connector.class": FILE_SINK,
        "tasks.max": String(PARTITIONS),
        topics: TOPIC,
        file: sinkFile(name),
    });
    const produce = (prefix: string) =>
        cluster().broker.produce(
            TOPIC,
            recordValues(prefix, 0, BATCH).map((value, i) => ({ key: `k${i}`, value })),
        );

    test("up during the outage fails naming Kafka; workers recover; nothing lost; up succeeds after", async (t) => {
        const { broker } = cluster();
        const driver = new ProviderDriver(() => cluster().restUrl(0), CREATE_DEADLINE_MS);
        await broker.createTopic({ name: TOPIC, partitions: PARTITIONS });
        await driver.create("bo-sink", config("bo-sink"));
        await produce("a");
        await waitForLagZero(broker, "connect-bo-sink", PARTITIONS);

        await broker.stop();
        const stoppedAt = Date.now();
        let seen: ConnectClusterError | undefined;
        await assert.rejects(driver.create("bo-new", config("bo-new")), (error: ConnectClusterError) => {
            seen = error;
            return true;
        });
        const took = Date.now() - stoppedAt;
        t.diagnostic(`create during the outage failed after ${took} ms: ${seen?.kind}: ${seen?.message}`);
        assert.equal(seen?.kind, "kafka-unavailable");
        assert.match(
            seen?.message ?? "",
            new RegExp(
                "^Kafka Connect answered 500: Request timed out.* — is the Kafka cluster reachable from the " +
                    "workers\\? \\([A-Z]+ /connectors/bo-new[^ ]* for connector " +
                    '"bo-new"; gave up after \\d+ attempts in \\d+ ms\\)$',
            ),
        );
        // The provider's deadline, plus one attempt already under way when it passed (Connect's 90 s timeout).
        assert.ok(took <= CREATE_DEADLINE_MS + 95_000, `failed after ${took} ms`);
        await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));

        await broker.restart();
        t.diagnostic(`broker down for ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
        await produce("b");
        await waitForLagZero(broker, "connect-bo-sink", PARTITIONS);
        assert.equal(cluster().runningWorkers.length, 2, "both workers still running: no restart needed");
        for (const prefix of ["a", "b"]) {
            const report = deliveryReport(recordValues(prefix, 0, BATCH), countRecords([sinkFile("bo-sink")], prefix));
            t.diagnostic(`batch ${prefix}: ${report.duplicated.length} written twice`);
            assert.deepEqual(
                { missing: report.missing, unexpected: report.unexpected },
                { missing: [], unexpected: [] },
            );
        }

        // The same `up` again: the create succeeds and the new sink reads both batches.
        const created = await driver.create("bo-new", config("bo-new"));
        assert.deepEqual(
            { connector: created.connectorState, tasks: created.tasks.map((task) => task.state) },
            { connector: "RUNNING", tasks: ["RUNNING", "RUNNING"] },
        );
        await waitForLagZero(broker, "connect-bo-new", PARTITIONS);
        for (const prefix of ["a", "b"]) {
            assert.deepEqual(
                deliveryReport(recordValues(prefix, 0, BATCH), countRecords([sinkFile("bo-new")], prefix)),
                { missing: [], duplicated: [], unexpected: [] },
            );
        }
    });
});
