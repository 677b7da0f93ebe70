/**
 * Restarts of failed connectors and tasks by `up` (components/provider/restarts.ts), on the fake Connect: check
 * names what FAILED from the one listing, diff makes it an update, update restarts only the failed ones and fails
 * with the redacted trace when they FAILED again. Real workers: test/integration/restarts.test.ts.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
    clientFor,
    connectorProvider,
    ConnectorInputs,
    ConnectorOutputs,
} from "../../components/provider/connectorProvider";
import { isConnectClusterError } from "../../components/errors";
import { secretRedaction } from "../../components/provider/failures";
import { restartFailed } from "../../components/provider/restarts";
import { invalidateSnapshot } from "../../components/provider/snapshotCache";
import { useFakeConnect } from "./support/connectorSuite";

const provider = connectorProvider as Required<typeof connectorProvider>;
const NAME = "local-file-sink";
const RESTART = `POST /connectors/${NAME}/restart?includeTasks=true&onlyFailed=true`;

describe("restarts of failed connectors and tasks", () => {
    const { fake, inputs: seedInputs } = useFakeConnect();
    let inputs: ConnectorInputs;
    before(() => (inputs = seedInputs()));

    const writes = () => fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    const listings = () => fake.requests.filter((r) => r.method === "GET" && r.path.startsWith("/connectors?")).length;
    /** A connector created RUNNING whose task then FAILED, as the engine's state holds it. */
    const failedConnector = async (): Promise<ConnectorOutputs> => {
        const olds = (await provider.create(inputs)).outs!;
        fake.connectors.get(NAME)!.taskState = "FAILED";
        invalidateSnapshot(clientFor(inputs));
        fake.requests.length = 0;
        return olds;
    };

    it("check names the failed task from one listing; diff makes it an update; outputs never keep it", async () => {
        const olds = await failedConnector();
        const checked = await provider.check(olds, inputs);
        assert.deepEqual(checked.inputs?.restartFailed, ["task 0"]);
        assert.equal(listings(), 1);
        assert.deepEqual(writes(), []);
        assert.equal((await provider.diff(NAME, olds, checked.inputs!)).changes, true);

        fake.taskStateAfterRestart = "RUNNING";
        // Room for the restarted task's 5 s of RUNNING (restartStableMs) before the update calls it done.
        const news = { ...checked.inputs!, readyTimeoutMs: 20_000 };
        const updated = (await provider.update(NAME, olds, news)).outs!;
        assert.deepEqual(writes(), [RESTART]);
        assert.deepEqual(updated.tasks, [{ id: 0, state: "RUNNING", workerId: "127.0.0.1:8083" }]);
        assert.equal("restartFailed" in updated, false);
        // Healthy again: the next check asks for nothing and diff sees no change.
        invalidateSnapshot(clientFor(inputs));
        const next = await provider.check(updated, { ...inputs, readyTimeoutMs: 20_000 });
        assert.equal(next.inputs?.restartFailed, undefined);
        assert.equal((await provider.diff(NAME, updated, next.inputs!)).changes, false);
    });

    it("check asks Connect nothing for a new connector, and restarts nothing declared paused or stopped", async () => {
        const created = await provider.check(undefined as unknown as ConnectorInputs, inputs);
        assert.equal(created.inputs?.restartFailed, undefined);
        for (const state of ["paused", "stopped"] as const) {
            const olds = await failedConnector();
            const checked = await provider.check(olds, { ...inputs, state });
            assert.equal(checked.inputs?.restartFailed, undefined, state);
            fake.connectors.clear();
        }
    });

    it("a listing that fails is asked once per process: the other checks restart nothing and do not ask", async () => {
        const olds = (await provider.create(inputs)).outs!;
        invalidateSnapshot(clientFor(inputs));
        fake.connectors.get(NAME)!.taskState = "FAILED";
        fake.requests.length = 0;
        fake.queuedFailures.push({ status: 404, message: "HTTP 404 Not Found" });
        for (const readyTimeoutMs of [2_000, 3_000, 4_000]) {
            const checked = await provider.check(olds, { ...inputs, readyTimeoutMs });
            assert.equal(checked.inputs?.restartFailed, undefined);
        }
        assert.equal(listings(), 1);
        assert.deepEqual(writes(), []);
    });

    it("a restart request given by the caller is ignored: only check sets it", async () => {
        const olds = (await provider.create(inputs)).outs!;
        invalidateSnapshot(clientFor(inputs));
        const checked = await provider.check(olds, { ...inputs, restartFailed: ["task 0"] });
        assert.equal(checked.inputs?.restartFailed, undefined);
    });

    it("a restart that does not help fails with the trace, secret values redacted", async () => {
        const olds = await failedConnector();
        const trace = "org.apache.kafka.connect.errors.ConnectException: boom hunter2\n\tat Fake.task(Fake.java:1)";
        fake.connectors.get(NAME)!.config.file = "unused";
        const redacted = { ...inputs, secretRedaction: secretRedaction(["hunter2", "boom"], "c".repeat(64)) };
        // The fake's trace has "boom" in it: declared secret here, so it must not appear.
        await assert.rejects(
            restartFailed(redacted, ["task 0"], 1_000),
            (error: unknown) =>
                isConnectClusterError(error) &&
                error.kind === "failed" &&
                error.field === `connectors["${NAME}"]` &&
                error.message ===
                    `connector "${NAME}": restarting its failed task 0 (${RESTART}) did not help: task 0 FAILED ` +
                        `again; task 0 on worker 127.0.0.1:8083:\n` +
                        `org.apache.kafka.connect.errors.ConnectException: [redacted]\n\tat Fake.task(Fake.java:1)\n` +
                        "Fix the cause the trace names, then run `pulumi up` again (it restarts failed tasks).",
        );
        assert.equal(trace.includes("hunter2"), true);
        assert.deepEqual(writes(), [RESTART]);
        assert.deepEqual(olds.tasks.length, 1);
    });

    it("outputs carry a failed task's trace, redacted, and read reports it", async () => {
        const olds = await failedConnector();
        const redacted = { ...olds, secretRedaction: secretRedaction(["boom"], "d".repeat(64)) };
        const read = await provider.read(NAME, redacted);
        assert.deepEqual(read.props?.tasks, [
            {
                id: 0,
                state: "FAILED",
                workerId: "127.0.0.1:8083",
                trace: "org.apache.kafka.connect.errors.ConnectException: [redacted]\n\tat Fake.task(Fake.java:1)",
            },
        ]);
    });
});
