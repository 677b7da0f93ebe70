import assert from "node:assert/strict";
import * as net from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import {
    ConnectRestClient,
    ConnectRestError,
    DEFAULT_RETRY_POLICY,
    RetryPolicy,
} from "../../components/rest/restClient";
import { BROKEN_PLUGIN_MESSAGE, FakeConnect } from "./support/fakeConnect";

const FAST: RetryPolicy = { requestTimeoutMs: 2_000, deadlineMs: 3_000, initialBackoffMs: 10, maxBackoffMs: 50 };

describe("ConnectRestClient", () => {
    const fake = new FakeConnect();
    let client: ConnectRestClient;

    before(async () => {
        client = new ConnectRestClient(
            { baseUrl: await fake.start(), headers: { Authorization: "Basic dXNlcjpzM2NyZXQ=" } },
            FAST,
        );
    });
    after(() => fake.stop());
    beforeEach(() => {
        fake.connectors.clear();
        fake.requests.length = 0;
        fake.queuedFailures.length = 0;
        fake.delayMs = 0;
        fake.queuedDelaysMs.length = 0;
        fake.nextTaskState = "RUNNING";
        fake.nextTaskCount = 1;
    });

    it("creates with PUT /connectors/{name}/config, then reports an update as not created", async () => {
        const first = await client.putConnectorConfig("sink-a", { "connector.class": "FileStreamSink", topics: "t" });
        const second = await client.putConnectorConfig("sink-a", { "connector.class": "FileStreamSink", topics: "u" });
        assert.equal(first.created, true);
        assert.equal(second.created, false);
        assert.deepEqual(
            fake.requests.map((r) => `${r.method} ${r.path}`),
            ["PUT /connectors/sink-a/config", "PUT /connectors/sink-a/config"],
        );
        assert.deepEqual(JSON.parse(fake.requests[1].body), { "connector.class": "FileStreamSink", topics: "u" });
        assert.equal(fake.requests[0].headers["content-type"], "application/json");
        assert.equal(fake.requests[0].headers.authorization, "Basic dXNlcjpzM2NyZXQ=");
    });

    it("retries 409 (rebalance in progress) until it succeeds", async () => {
        fake.queuedFailures.push({
            status: 409,
            message:
                "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent " +
                "config change)",
        });
        fake.queuedFailures.push({ status: 409, message: "rebalance in progress" });
        const result = await client.putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        assert.equal(result.created, true);
        assert.equal(fake.requests.length, 3);
    });

    it("does not retry a 400 and shows Connect's message verbatim with the connector name", async () => {
        await assert.rejects(
            client.putConnectorConfig("bad-one", { "connector.class": "NoSuchConnector" }),
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
        await assert.rejects(client.getConnectorStatus("locked"), {
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
        await assert.rejects(client.listConnectors(), (error: ConnectRestError) => {
            assert.equal(error.kind, "bad-request");
            assert.equal(error.status, 500);
            return true;
        });
        assert.equal(fake.requests.length, 1);
    });

    it("treats 404 as absent for reads and deletes", async () => {
        assert.equal(await client.getConnectorConfig("missing"), undefined);
        assert.equal(await client.getConnectorStatus("missing"), undefined);
        assert.equal(await client.deleteConnector("missing"), false);
        await client.putConnectorConfig("present", { "connector.class": "FileStreamSink" });
        assert.equal(await client.deleteConnector("present"), true);
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
        await client.createConnector("dup", { "connector.class": "FileStreamSink" }, "RUNNING");
        fake.requests.length = 0;
        await assert.rejects(client.createConnector("dup", { "connector.class": "FileStreamSink" }, "RUNNING"), {
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
        assert.deepEqual(await client.listConnectors(), []);
        assert.equal(fake.requests.length, 4);
    });

    it("reports a 500 with an exception that is no transient condition at once, with its first line", async () => {
        await assert.rejects(client.validateConfig("broken", { "connector.class": "BrokenPlugin" }), {
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
        const kafkaDown = new ConnectRestClient({ baseUrl: await fakeBase() }, { ...FAST, deadlineMs: 300 });
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
            { baseUrl: await fakeBase() },
            { requestTimeoutMs: 100, deadlineMs: 100, initialBackoffMs: 10, maxBackoffMs: 10 },
        );
        const base = await fakeBase();
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
            { baseUrl: await fakeBase() },
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
            { baseUrl: await fakeBase() },
            { requestTimeoutMs: 100, deadlineMs: 3_000, initialBackoffMs: 10, maxBackoffMs: 10 },
        );
        await impatient.createConnector("once", { "connector.class": "FileStreamSink", topics: "t" }, "STOPPED");
        assert.deepEqual(
            fake.requests.map((r) => `${r.method} ${r.path}`),
            ["POST /connectors", "GET /connectors/once/config"],
        );
    });

    it("does not re-send a restart whose answer was lost", async () => {
        await client.putConnectorConfig("r", { "connector.class": "FileStreamSink" });
        fake.requests.length = 0;
        fake.queuedDelaysMs.push(1_000);
        const impatient = new ConnectRestClient(
            { baseUrl: await fakeBase() },
            { requestTimeoutMs: 100, deadlineMs: 3_000, initialBackoffMs: 10, maxBackoffMs: 10 },
        );
        const base = await fakeBase();
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
        await client.putConnectorConfig("gone", { "connector.class": "FileStreamSink" });
        fake.requests.length = 0;
        fake.queuedDelaysMs.push(1_000);
        const impatient = new ConnectRestClient(
            { baseUrl: await fakeBase() },
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
        assert.equal(await client.deleteConnector("never-there"), false);
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

    it("waits until the connector and all tasks are RUNNING", async () => {
        await client.putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        const status = await client.waitUntilRunning("sink-a", { timeoutMs: 1_000, pollMs: 10 });
        assert.equal(status.connector.state, "RUNNING");
        assert.deepEqual(
            status.tasks.map((t) => t.state),
            ["RUNNING"],
        );
    });

    it("waits for RUNNING to hold for stableForMs, and fails if a task fails within that window", async () => {
        await client.putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        const started = Date.now();
        await client.waitUntilRunning("sink-a", { timeoutMs: 2_000, pollMs: 10, stableForMs: 200 });
        assert.ok(Date.now() - started >= 200, "returned before the stability window passed");
        setTimeout(() => (fake.connectors.get("sink-a")!.taskState = "FAILED"), 50);
        await assert.rejects(
            client.waitUntilRunning("sink-a", { timeoutMs: 2_000, pollMs: 10, stableForMs: 500 }),
            /task 0 FAILED/,
        );
    });

    it("fails the wait at once with the task's trace when a task FAILED", async () => {
        fake.nextTaskState = "FAILED";
        await client.putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        await assert.rejects(
            client.waitUntilRunning("sink-a", { timeoutMs: 5_000, pollMs: 10 }),
            (error: ConnectRestError) => {
                assert.equal(error.kind, "failed");
                assert.equal(
                    error.message,
                    'connector "sink-a": task 0 FAILED on worker ' +
                        "127.0.0.1:8083:\norg.apache.kafka.connect.errors.ConnectException: boom\n\tat " +
                        "Fake.task(Fake.java:1)",
                );
                return true;
            },
        );
    });

    it("fails the wait after the timeout with the last state", async () => {
        fake.nextTaskState = "UNASSIGNED";
        await client.putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        await assert.rejects(
            client.waitUntilRunning("sink-a", { timeoutMs: 100, pollMs: 20 }),
            (error: ConnectRestError) => {
                assert.equal(error.kind, "timeout");
                assert.equal(
                    error.message,
                    'connector "sink-a" was not RUNNING with all tasks RUNNING after 100 ms; last status: connector ' +
                        "RUNNING, task 0 UNASSIGNED.",
                );
                return true;
            },
        );
    });

    it("takes a RUNNING connector with no task as RUNNING once that held for noTasksStableForMs", async () => {
        fake.nextTaskCount = 0;
        await client.putConnectorConfig("idle", { "connector.class": "FileStreamSink" });
        const started = Date.now();
        const status = await client.waitUntilRunning("idle", { timeoutMs: 2_000, pollMs: 10, noTasksStableForMs: 300 });
        assert.ok(Date.now() - started >= 300, "returned before the no-task window passed");
        assert.deepEqual([status.connector.state, status.tasks], ["RUNNING", []]);
    });

    it("waits for tasks that show up within the no-task window, and fails on one that FAILED", async () => {
        fake.nextTaskCount = 0;
        await client.putConnectorConfig("late", { "connector.class": "FileStreamSink" });
        setTimeout(() => (fake.connectors.get("late")!.taskCount = 2), 100);
        const status = await client.waitUntilRunning("late", { timeoutMs: 2_000, pollMs: 10, noTasksStableForMs: 500 });
        assert.deepEqual(
            status.tasks.map((task) => `${task.id} ${task.state}`),
            ["0 RUNNING", "1 RUNNING"],
        );
        fake.nextTaskState = "FAILED";
        await client.putConnectorConfig("late-failing", { "connector.class": "FileStreamSink" });
        fake.connectors.get("late-failing")!.taskCount = 0;
        setTimeout(() => (fake.connectors.get("late-failing")!.taskCount = 1), 100);
        await assert.rejects(
            client.waitUntilRunning("late-failing", { timeoutMs: 2_000, pollMs: 10, noTasksStableForMs: 500 }),
            { message: /^connector "late-failing": task 0 FAILED on worker 127\.0\.0\.1:8083:\n/ },
        );
    });

    it("lists every connector with info and status in one call", async () => {
        await client.putConnectorConfig("a", { "connector.class": "FileStreamSink" });
        await client.putConnectorConfig("b", { "connector.class": "FileStreamSink" });
        fake.requests.length = 0;
        const all = await client.listConnectorsExpanded();
        assert.deepEqual(Object.keys(all).sort(), ["a", "b"]);
        assert.equal(all.a.status.connector.state, "RUNNING");
        assert.deepEqual(
            fake.requests.map((r) => r.path),
            ["/connectors?expand=info&expand=status"],
        );
    });

    async function fakeBase(): Promise<string> {
        return client.target.baseUrl;
    }
});

async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
