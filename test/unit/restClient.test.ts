/** ConnectRestClient's operations against FakeConnect: requests sent, 404 as absent, the waits for a state. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConnectRestError } from "../../components/rest/restClient";
import { useFakeConnectClient } from "./support/fakeConnectClient";

describe("ConnectRestClient", () => {
    const { fake, client } = useFakeConnectClient();

    it("creates with PUT /connectors/{name}/config, then reports an update as not created", async () => {
        const first = await client().putConnectorConfig("sink-a", { "connector.class": "FileStreamSink", topics: "t" });
        const second = await client().putConnectorConfig("sink-a", {
            "connector.class": "FileStreamSink",
            topics: "u",
        });
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

    it("treats 404 as absent for reads and deletes", async () => {
        assert.equal(await client().getConnectorConfig("missing"), undefined);
        assert.equal(await client().getConnectorStatus("missing"), undefined);
        assert.equal(await client().deleteConnector("missing"), false);
        await client().putConnectorConfig("present", { "connector.class": "FileStreamSink" });
        assert.equal(await client().deleteConnector("present"), true);
    });

    it("waits until the connector and all tasks are RUNNING", async () => {
        await client().putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        const status = await client().waitUntilRunning("sink-a", { timeoutMs: 1_000, pollMs: 10 });
        assert.equal(status.connector.state, "RUNNING");
        assert.deepEqual(
            status.tasks.map((t) => t.state),
            ["RUNNING"],
        );
    });

    it("waits for RUNNING to hold for stableForMs, and fails if a task fails within that window", async () => {
        await client().putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        const started = Date.now();
        await client().waitUntilRunning("sink-a", { timeoutMs: 2_000, pollMs: 10, stableForMs: 200 });
        assert.ok(Date.now() - started >= 200, "returned before the stability window passed");
        setTimeout(() => (fake.connectors.get("sink-a")!.taskState = "FAILED"), 50);
        await assert.rejects(
            client().waitUntilRunning("sink-a", { timeoutMs: 2_000, pollMs: 10, stableForMs: 500 }),
            /task 0 FAILED/,
        );
    });

    it("fails the wait at once with the task's trace when a task FAILED", async () => {
        fake.nextTaskState = "FAILED";
        await client().putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        await assert.rejects(
            client().waitUntilRunning("sink-a", { timeoutMs: 5_000, pollMs: 10 }),
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
        await client().putConnectorConfig("sink-a", { "connector.class": "FileStreamSink" });
        await assert.rejects(
            client().waitUntilRunning("sink-a", { timeoutMs: 100, pollMs: 20 }),
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
        await client().putConnectorConfig("idle", { "connector.class": "FileStreamSink" });
        const started = Date.now();
        const status = await client().waitUntilRunning("idle", {
            timeoutMs: 2_000,
            pollMs: 10,
            noTasksStableForMs: 300,
        });
        assert.ok(Date.now() - started >= 300, "returned before the no-task window passed");
        assert.deepEqual([status.connector.state, status.tasks], ["RUNNING", []]);
    });

    it("waits for tasks that show up within the no-task window, and fails on one that FAILED", async () => {
        fake.nextTaskCount = 0;
        await client().putConnectorConfig("late", { "connector.class": "FileStreamSink" });
        setTimeout(() => (fake.connectors.get("late")!.taskCount = 2), 100);
        const status = await client().waitUntilRunning("late", {
            timeoutMs: 2_000,
            pollMs: 10,
            noTasksStableForMs: 500,
        });
        assert.deepEqual(
            status.tasks.map((task) => `${task.id} ${task.state}`),
            ["0 RUNNING", "1 RUNNING"],
        );
        fake.nextTaskState = "FAILED";
        await client().putConnectorConfig("late-failing", { "connector.class": "FileStreamSink" });
        fake.connectors.get("late-failing")!.taskCount = 0;
        setTimeout(() => (fake.connectors.get("late-failing")!.taskCount = 1), 100);
        await assert.rejects(
            client().waitUntilRunning("late-failing", { timeoutMs: 2_000, pollMs: 10, noTasksStableForMs: 500 }),
            { message: /^connector "late-failing": task 0 FAILED on worker 127\.0\.0\.1:8083:\n/ },
        );
    });

    it("lists every connector with info and status in one call", async () => {
        await client().putConnectorConfig("a", { "connector.class": "FileStreamSink" });
        await client().putConnectorConfig("b", { "connector.class": "FileStreamSink" });
        fake.requests.length = 0;
        const all = await client().listConnectorsExpanded();
        assert.deepEqual(Object.keys(all).sort(), ["a", "b"]);
        assert.equal(all.a.status.connector.state, "RUNNING");
        assert.deepEqual(
            fake.requests.map((r) => r.path),
            ["/connectors?expand=info&expand=status"],
        );
    });
});
