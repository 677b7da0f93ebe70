/**
 * Failed tasks restarted by `up`, on 2 real workers started from our rendered distributed.properties, through the
 * provider as the engine calls it (check → diff → update). A FileStreamSink's task is failed on purpose: its
 * output directory is removed and the task restarted by hand, so `start()` cannot open the file. A restart that
 * does not help fails the update with the task's trace (the directory's name, declared secret here, redacted);
 * once the directory is back, the same update makes the task RUNNING and records flow again.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { describe, test } from "node:test";
import { connectorProvider, ConnectorInputs, ConnectorOutputs } from "../../components/provider/connectorProvider";
import { REDACTED, secretRedaction } from "../../components/provider/failures";
import { PROVIDER_DEFAULTS } from "../../components/rest/providerDefaults";
import { httpRequest, useCluster, waitFor } from "./harness";
import { FILE_SINK, ProviderDriver, recordValues, restClient } from "./support";

const provider = connectorProvider as Required<typeof connectorProvider>;
const NAME = "restart-sink";
const TOPIC = "restart-in";
/** The output directory's name; declared a secret value, so it must never show in an error or output. */
const SECRET_DIR = "s3cr3t-out-dir-7f2c";
const RESTART = `POST /connectors/${NAME}/restart?includeTasks=true&onlyFailed=true`;

describe("failed tasks restarted by up, on 2 real workers", () => {
    const cluster = useCluster({ workers: 2, groupId: "restarts", label: "restarts" });
    const restUrl = () => cluster().runningWorkers[0].restUrl;
    const dir = () => `${cluster().runDir}/${SECRET_DIR}`;
    const file = () => `${dir()}/out.txt`;
    const inputs = (): ConnectorInputs => ({
        ...new ProviderDriver(restUrl, 120_000).inputs(NAME, {
            "connector.class": FILE_SINK,
            "tasks.max": "1",
            topics: TOPIC,
            file: file(),
        }),
        secretRedaction: secretRedaction([SECRET_DIR], "e".repeat(64)),
    });
    const lines = () => {
        try {
            return readFileSync(file(), "utf8").split("\n").filter(Boolean);
        } catch {
            return [];
        }
    };
    const written = (values: readonly string[]) =>
        waitFor(
            `${values.length} records in the sink's file`,
            () => (values.every((value) => lines().includes(value)) ? true : undefined),
            { timeoutMs: 120_000, intervalMs: 500 },
        );
    const taskState = async () => (await restClient(restUrl()).getConnectorStatus(NAME))?.tasks[0]?.state;
    let olds: ConnectorOutputs;

    test("a restart that does not help fails the update with the task's trace, secret values redacted", async () => {
        await cluster().broker.createTopic({ name: TOPIC, partitions: 1 });
        mkdirSync(dir(), { recursive: true });
        olds = (await provider.create((await provider.check({} as ConnectorInputs, inputs())).inputs!)).outs!;
        await cluster().broker.produce(TOPIC, recordValues("restart", 0, 10));
        await written(recordValues("restart", 0, 10));

        // The task fails on purpose: its directory is gone when it starts again.
        rmSync(dir(), { recursive: true, force: true });
        const manual = await httpRequest("POST", `${restUrl()}/connectors/${NAME}/tasks/0/restart`);
        assert.equal(manual.status < 300, true, `hand-made task restart answered ${manual.status}`);
        await waitFor("task 0 FAILED", async () => ((await taskState()) === "FAILED" ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 500,
        });

        // What the preview shows: the failed task, named from the one listing; an update, not a replacement.
        const checked = (await provider.check(olds, inputs())).inputs!;
        assert.deepEqual(checked.restartFailed, ["task 0"]);
        assert.deepEqual(await provider.diff(NAME, olds, checked), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });

        let message = "";
        await assert.rejects(provider.update(NAME, olds, checked), (error: Error) => {
            message = error.message;
            return true;
        });
        const expectedStart =
            `connector "${NAME}": restarting its failed task 0 (${RESTART}) did not help: task 0 FAILED again; ` +
            `task 0 on worker `;
        assert.equal(message.startsWith(expectedStart), true, message);
        assert.match(message, /org\.apache\.kafka\.connect\.errors\.ConnectException: Couldn't find or create file/);
        assert.equal(message.includes(`${cluster().runDir}/${REDACTED}/out.txt`), true, message);
        assert.equal(message.includes(SECRET_DIR), false, "the secret value is redacted from the trace");
        // The trace's first lines, then how many more there were; then what to do.
        const traceLines = message.split("\n").slice(1, -1);
        assert.equal(traceLines.length <= PROVIDER_DEFAULTS.traceLines + 1, true, message);
        assert.equal(message.endsWith("then run `pulumi up` again (it restarts failed tasks)."), true);

        // A refresh shows the failure in the outputs, redacted too.
        const read = (await provider.read(NAME, olds)).props as ConnectorOutputs;
        assert.equal(read.tasks[0].state, "FAILED");
        assert.match(read.tasks[0].trace ?? "", /Couldn't find or create file/);
        // (Only the config given in plain here names the directory; a real secret is a ${file:...} reference there.)
        assert.equal(JSON.stringify({ ...read, config: {} }).includes(SECRET_DIR), false);
        assert.equal(read.tasks[0].trace?.includes(`${cluster().runDir}/${REDACTED}/out.txt`), true);
        assert.equal(await taskState(), "FAILED");
    });

    test("once the cause is fixed, the same update restarts the task and records flow again", async () => {
        mkdirSync(dir(), { recursive: true });
        const checked = (await provider.check(olds, inputs())).inputs!;
        assert.deepEqual(checked.restartFailed, ["task 0"]);
        const updated = (await provider.update(NAME, olds, checked)).outs!;
        assert.equal(updated.connectorState, "RUNNING");
        assert.deepEqual(
            updated.tasks.map((task) => [task.id, task.state, task.trace]),
            [[0, "RUNNING", undefined]],
        );
        assert.equal("restartFailed" in updated, false);
        await cluster().broker.produce(TOPIC, recordValues("restart", 10, 10));
        await written(recordValues("restart", 10, 10));
        assert.equal(await taskState(), "RUNNING");

        // Healthy: the next preview has nothing to restart and no change.
        const next = (await provider.check(updated, inputs())).inputs!;
        assert.equal(next.restartFailed, undefined);
        assert.equal((await provider.diff(NAME, updated, next)).changes, false);
    });
});
