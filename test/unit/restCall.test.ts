/**
 * restCall.ts through the client: which failures are retried (rebalance and no-leader 409s, refused
 * connections, Kafka unavailable) and which are not, the messages, the deadline, and requests that may have
 * taken effect (a lost create or restart is not sent again; a lost DELETE counts as done).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConnectRestClient, ConnectRestError, DEFAULT_RETRY_POLICY } from "../../components/rest/restClient";
import { BROKEN_PLUGIN_MESSAGE } from "./support/fakeConnect";
import { closedPort, FAST, useFakeConnectClient } from "./support/fakeConnectClient";

describe("ConnectRestClient's calls (restCall)", () => {
    const { fake, client } = useFakeConnectClient();

    it("retries 409 (rebalance in progress) until it succeeds", async () => {
        fake.queuedFailures.push({
            status: 409,
            message:
                "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent " +
                "config change)",
        });
        fake.queuedFailures.push({ status: 409, message: "rebalance in progress" });
        const result = await client().putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        assert.equal(result.created, true);
        assert.equal(fake.requests.length, 3);
    });

    it("does not retry a 400 and shows Connect's message verbatim with the connector name", async () => {
        await assert.rejects(
            client().putConnectorConfig("bad-one", { "connector.class": "NoSuchConnector" }),
            (error: ConnectRestError) => {
                assert.equal(error.kind, "bad-request");
                assert.equal(
                    error.message,
                    'Kafka Connect rejected PUT /connectors/bad-one/config for connector "bad-one": HTTP 400: ' +
                        "Connector configuration is invalid and contains the following 1 error(s):\nInvalid value " +
                        "NoSuchConnector for configuration connector.class",
                );
                return true;
            },
        );
        assert.equal(fake.requests.length, 1);
    });

    it("does not retry a 401 and says the workers require REST basic auth", async () => {
        fake.queuedFailures.push({ status: 401, message: "User cannot access the resource." });
        await assert.rejects(client().getConnectorStatus("locked"), {
            name: "ConnectClusterError",
            kind: "bad-request",
            message:
                'Kafka Connect rejected GET /connectors/locked/status for connector "locked": HTTP 401: User cannot ' +
                "access the resource. " +
                "(the workers require REST basic auth: check restAccess.username and password against restAuth.users)",
        });
        assert.equal(fake.requests.length, 1);
    });

    it("does not retry a client error that Connect wraps in a 500", async () => {
        fake.queuedFailures.push({
            status: 500,
            message:
                "org.apache.kafka.connect.runtime.rest.errors.BadRequestException: Failed to find any class that " +
                "implements Connector and which name matches com.example.Nope",
        });
        await assert.rejects(client().listConnectors(), (error: ConnectRestError) => {
            assert.equal(error.kind, "bad-request");
            assert.equal(error.status, 500);
            return true;
        });
        assert.equal(fake.requests.length, 1);
    });

    it("retries refused connections while workers start, then names the URL without credentials", async () => {
        const port = await closedPort();
        const refused = new ConnectRestClient(
            { baseUrl: `http://user:pw@127.0.0.1:${port}` },
            { ...FAST, deadlineMs: 200 },
        );
        await assert.rejects(refused.serverInfo(), (error: ConnectRestError) => {
            assert.equal(error.kind, "unreachable");
            assert.match(
                error.message,
                new RegExp(
                    `^Kafka Connect REST API at http://127\\.0\\.0\\.1:${port} is unreachable ` +
                        `\\(GET / for the Connect cluster\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${port} ` +
                        `\\(gave up after \\d+ attempts in \\d+ ms\\)$`,
                ),
            );
            assert.doesNotMatch(error.message, /pw/);
            return true;
        });
    });

    it("does not retry a 409 that is no rebalance (already exists) and shows Connect's message", async () => {
        await client().createConnector("dup", { "connector.class": "FileStreamSink" }, "RUNNING");
        fake.requests.length = 0;
        await assert.rejects(client().createConnector("dup", { "connector.class": "FileStreamSink" }, "RUNNING"), {
            name: "ConnectClusterError",
            kind: "conflict",
            status: 409,
            message:
                'Kafka Connect rejected POST /connectors for connector "dup": HTTP 409: Connector dup already exists',
        });
        assert.equal(fake.requests.length, 1);
    });

    it("retries the 409s Connect gives while rebalancing or without a known leader", async () => {
        fake.queuedFailures.push({
            status: 409,
            message:
                "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was " +
                "underway.",
        });
        fake.queuedFailures.push({
            status: 409,
            message: "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
        });
        fake.queuedFailures.push({ status: 503, message: "no endpoints available for service" });
        assert.deepEqual(await client().listConnectors(), []);
        assert.equal(fake.requests.length, 4);
    });

    it("reports a 500 with an exception that is no transient condition at once, with its first line", async () => {
        await assert.rejects(client().validateConfig("broken", { "connector.class": "BrokenPlugin" }), {
            name: "ConnectClusterError",
            kind: "server",
            status: 500,
            message:
                'Kafka Connect rejected PUT /connector-plugins/BrokenPlugin/config/validate for connector "broken": ' +
                "HTTP 500: java.lang.NoClassDefFoundError: com/example/broken/MissingHelper",
        });
        assert.equal(BROKEN_PLUGIN_MESSAGE.split("\n").length, 2, "the fake's message has a trace line");
        assert.equal(fake.requests.length, 1);
    });

    it("names Connect's 500 Request timed out as Kafka being unavailable, retried until the deadline", async () => {
        const kafkaDown = new ConnectRestClient({ baseUrl: client().target.baseUrl }, { ...FAST, deadlineMs: 300 });
        for (let i = 0; i < 100; i++) {
            fake.queuedFailures.push({ status: 500, message: "Request timed out" });
        }
        await assert.rejects(kafkaDown.listConnectors(), (error: ConnectRestError) => {
            assert.equal(error.kind, "kafka-unavailable");
            assert.match(
                error.message,
                new RegExp(
                    "^Kafka Connect answered 500: Request timed out — is the Kafka cluster reachable from the " +
                        "workers\\? \\(GET /connectors for the Connect cluster; " +
                        "gave up after \\d+ attempts in \\d+ ms\\)$",
                ),
            );
            return true;
        });
        assert.ok(fake.requests.length >= 3, `expected several attempts, saw ${fake.requests.length}`);
    });

    it("says a worker that accepts the connection but does not answer did not answer, not unreachable", async () => {
        fake.delayMs = 500;
        const slow = new ConnectRestClient(
            { baseUrl: client().target.baseUrl },
            { requestTimeoutMs: 100, deadlineMs: 100, initialBackoffMs: 10, maxBackoffMs: 10 },
        );
        const base = client().target.baseUrl;
        await assert.rejects(slow.listConnectors(), (error: ConnectRestError) => {
            assert.equal(error.kind, "no-answer");
            assert.match(
                error.message,
                new RegExp(
                    `^Kafka Connect REST API at ${escape(base)} accepted the connection but did not ` +
                        `answer within 100 ms \\(GET /connectors for the Connect cluster; gave up after \\d+ ` +
                        `attempts in \\d+ ms\\)$`,
                ),
            );
            return true;
        });
    });

    it("keeps every request inside the deadline: the request timeout is cut to the time left", async () => {
        fake.delayMs = 2_000;
        const bounded = new ConnectRestClient(
            { baseUrl: client().target.baseUrl },
            { requestTimeoutMs: 5_000, deadlineMs: 300, initialBackoffMs: 10, maxBackoffMs: 10 },
        );
        const started = Date.now();
        await assert.rejects(bounded.listConnectors(), { kind: "no-answer" });
        const took = Date.now() - started;
        assert.ok(took < 600, `a 300 ms deadline took ${took} ms`);
    });

    it("does not re-send a create whose answer was lost: it finds the connector it created", async () => {
        fake.queuedDelaysMs.push(1_000);
        const impatient = new ConnectRestClient(
            { baseUrl: client().target.baseUrl },
            { requestTimeoutMs: 100, deadlineMs: 3_000, initialBackoffMs: 10, maxBackoffMs: 10 },
        );
        await impatient.createConnector("once", { "connector.class": "FileStreamSink", topics: "t" }, "STOPPED");
        assert.deepEqual(
            fake.requests.map((r) => `${r.method} ${r.path}`),
            ["POST /connectors", "GET /connectors/once/config"],
        );
    });

    it("does not re-send a restart whose answer was lost", async () => {
        await client().putConnectorConfig("r", { "connector.class": "FileStreamSink" });
        fake.requests.length = 0;
        fake.queuedDelaysMs.push(1_000);
        const impatient = new ConnectRestClient(
            { baseUrl: client().target.baseUrl },
            { requestTimeoutMs: 100, deadlineMs: 3_000, initialBackoffMs: 10, maxBackoffMs: 10 },
        );
        const base = client().target.baseUrl;
        await assert.rejects(impatient.restartConnector("r"), (error: ConnectRestError) => {
            assert.equal(error.kind, "no-answer");
            assert.equal(
                error.message,
                `Kafka Connect REST API at ${base} accepted the connection but did not answer within ` +
                    `100 ms (POST /connectors/r/restart for connector "r"; not sent again: it may have taken effect)`,
            );
            return true;
        });
        assert.deepEqual(
            fake.requests.map((r) => `${r.method} ${r.path}`),
            ["POST /connectors/r/restart?includeTasks=true&onlyFailed=false"],
        );
    });

    it("counts a DELETE whose retry answers 404 as done", async () => {
        await client().putConnectorConfig("gone", { "connector.class": "FileStreamSink" });
        fake.requests.length = 0;
        fake.queuedDelaysMs.push(1_000);
        const impatient = new ConnectRestClient(
            { baseUrl: client().target.baseUrl },
            { requestTimeoutMs: 100, deadlineMs: 3_000, initialBackoffMs: 10, maxBackoffMs: 10 },
        );
        assert.equal(await impatient.deleteConnector("gone"), true);
        assert.equal(fake.connectors.has("gone"), false);
        assert.deepEqual(
            fake.requests.map((r) => `${r.method} ${r.path}`),
            ["DELETE /connectors/gone", "DELETE /connectors/gone"],
        );
    });

    it("still reports a missing connector as absent when a DELETE was retried after a rebalance 409", async () => {
        fake.queuedFailures.push({
            status: 409,
            message: "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
        });
        assert.equal(await client().deleteConnector("never-there"), false);
        assert.equal(fake.requests.length, 2);
    });

    it("waits by default longer than Connect's 90 s REST timeout, so its Request timed out arrives", () => {
        assert.deepEqual(DEFAULT_RETRY_POLICY, {
            requestTimeoutMs: 95_000,
            deadlineMs: 120_000,
            initialBackoffMs: 250,
            maxBackoffMs: 5_000,
            neverAnsweredGraceMs: 60_000,
        });
    });
});

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
