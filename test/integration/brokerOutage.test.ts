/**
 * A Kafka outage under running connectors (issue #13, item 4), on 2 real workers: the broker stopped for at least
 * 60 s (in fact as long as the create below takes to fail: its 120 s deadline) and started again. The workers
 * recover by themselves (no restart), the running sink continues from its committed offsets with nothing lost,
 * a create issued through the provider during the outage (as `pulumi up` would) fails within its deadline saying
 * the Kafka cluster is unreachable, and the same create succeeds after. At the same time, on the other worker, a
 * write by the REST client alone with a deadline just past Connect's 90 s REST timeout reports Connect's
 * "Request timed out" as Kafka being unavailable, within that deadline.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConnectClusterError } from "../../components/errors";
import { ConnectRestClient } from "../../components/rest/restClient";
import { sleep, useCluster } from "./harness";
import { countRecords, deliveryReport, FILE_SINK, ProviderDriver, recordValues, waitForLagZero } from "./support";

const TOPIC = "bo-in";
const PARTITIONS = 2;
const BATCH = 200;
const OUTAGE_MS = 60_000;
/** The provider's deadline for the create during the outage (as connectorReadyTimeoutSeconds bounds it). */
const CREATE_DEADLINE_MS = 120_000;
/**
 * The REST client's own deadline for its write during the outage: Connect answers "Request timed out" after its
 * REST timeout (90 s, not configurable), so a little longer. Its second attempt, cut to the 3 s left, gets no
 * answer; the error still names the cause.
 */
const DIRECT_DEADLINE_MS = 93_000;

/** The error a call failed with (undefined if it succeeded) and how long it took. */
async function failureOf(call: Promise<unknown>): Promise<{ error?: ConnectClusterError; afterMs: number }> {
    const started = Date.now();
    try {
        await call;
        return { afterMs: Date.now() - started };
    } catch (error) {
        return { error: error as ConnectClusterError, afterMs: Date.now() - started };
    }
}

/** A config write by the REST client alone (no provider), with DIRECT_DEADLINE_MS. */
function directWriteWhileDown(restUrl: string, config: Record<string, string>) {
    const client = new ConnectRestClient(
        { baseUrl: restUrl },
        {
            requestTimeoutMs: DIRECT_DEADLINE_MS,
            deadlineMs: DIRECT_DEADLINE_MS,
            initialBackoffMs: 250,
            maxBackoffMs: 2_000,
        },
    );
    return failureOf(client.putConnectorConfig("bo-direct", config));
}

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
        const [seen, direct] = await Promise.all([
            failureOf(driver.create("bo-new", config("bo-new"))),
            directWriteWhileDown(cluster().restUrl(1), config("bo-direct")),
        ]);
        const took = seen.afterMs;
        t.diagnostic(`create during the outage failed after ${took} ms: ${seen.error?.kind}: ${seen.error?.message}`);
        assert.equal(seen.error?.kind, "kafka-unavailable");
        assert.match(
            seen.error?.message ?? "",
            new RegExp(
                "^Kafka Connect answered 500: Request timed out.* — is the Kafka cluster reachable from the " +
                    "workers\\? \\([A-Z]+ /connectors/bo-new[^ ]* for connector " +
                    '"bo-new"; gave up after \\d+ attempts in \\d+ ms\\)$',
            ),
        );
        // The provider's deadline, plus one attempt already under way when it passed (Connect's 90 s timeout).
        assert.ok(took <= CREATE_DEADLINE_MS + 95_000, `failed after ${took} ms`);
        t.diagnostic(`the client's own write failed after ${direct.afterMs} ms: ${direct.error?.message}`);
        assert.equal(direct.error?.kind, "kafka-unavailable");
        assert.match(
            direct.error?.message ?? "",
            new RegExp(
                "^Kafka Connect answered 500: Request timed out.* — is the Kafka cluster reachable from the " +
                    "workers\\? \\(PUT /connectors/bo-direct/config for connector " +
                    '"bo-direct"; gave up after \\d+ attempts in \\d+ ms\\)$',
            ),
        );
        assert.ok(
            direct.afterMs <= DIRECT_DEADLINE_MS + 1_000,
            `took ${direct.afterMs} ms, past the ${DIRECT_DEADLINE_MS} ms deadline`,
        );
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
