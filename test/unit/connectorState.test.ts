/**
 * The connector's declared state (running, paused, stopped) through the provider, on the fake Connect: what
 * create, diff, update and read send and report. Real workers' behaviour: test/integration/connectorState.test.ts.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
    clientFor,
    connectorProvider,
    ConnectorInputs,
    ConnectorOutputs,
    DesiredState,
} from "../../components/provider/connectorProvider";
import { invalidateSnapshot } from "../../components/provider/snapshotCache";
import { SEED_CONFIG as seed, useFakeConnect } from "./support/connectorSuite";

const provider = connectorProvider as Required<typeof connectorProvider>;
const NAME = "local-file-sink";

describe("connector desired state", () => {
    const { fake, inputs: seedInputs } = useFakeConnect();
    let inputs: ConnectorInputs;
    before(() => (inputs = seedInputs()));

    const writes = () => fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    const stateOf = (outs: ConnectorOutputs | undefined) => ({
        state: outs?.state,
        connectorState: outs?.connectorState,
        tasks: outs?.tasks.map((task) => task.state),
    });

    const created: { state: DesiredState; connectorState: string; tasks: string[] }[] = [
        { state: "running", connectorState: "RUNNING", tasks: ["RUNNING"] },
        { state: "paused", connectorState: "PAUSED", tasks: ["PAUSED"] },
        { state: "stopped", connectorState: "STOPPED", tasks: [] },
    ];
    for (const expected of created) {
        it(`create makes a ${expected.state} connector directly in its state with POST and initial_state`, async () => {
            const result = await provider.create({ ...inputs, state: expected.state });
            assert.deepEqual(stateOf(result.outs), expected);
            assert.deepEqual(writes(), ["PUT /connector-plugins/FileStreamSink/config/validate", "POST /connectors"]);
            assert.deepEqual(JSON.parse(fake.requests.find((r) => r.method === "POST")!.body), {
                name: NAME,
                config: seed,
                initial_state: expected.state.toUpperCase(),
            });
        });
    }

    it("diff: a change of state alone is an update, not a replacement; absent means running", async () => {
        const olds = (await provider.create(inputs)).outs!;
        assert.deepEqual(await provider.diff(NAME, olds, { ...inputs, state: "paused" }), {
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.equal((await provider.diff(NAME, olds, { ...inputs, state: "running" })).changes, false);
        assert.equal((await provider.diff(NAME, { ...olds, state: "running" }, inputs)).changes, false);
    });

    const moves: { from: DesiredState; to: DesiredState; call: string; connectorState: string; tasks: string[] }[] = [
        { from: "running", to: "paused", call: "pause", connectorState: "PAUSED", tasks: ["PAUSED"] },
        { from: "running", to: "stopped", call: "stop", connectorState: "STOPPED", tasks: [] },
        { from: "paused", to: "running", call: "resume", connectorState: "RUNNING", tasks: ["RUNNING"] },
        { from: "stopped", to: "running", call: "resume", connectorState: "RUNNING", tasks: ["RUNNING"] },
        { from: "paused", to: "stopped", call: "stop", connectorState: "STOPPED", tasks: [] },
        { from: "stopped", to: "paused", call: "pause", connectorState: "PAUSED", tasks: ["PAUSED"] },
    ];
    for (const move of moves) {
        it(`update ${move.from} -> ${move.to} makes exactly the ${move.call} call, no config write`, async () => {
            const olds = (await provider.create({ ...inputs, state: move.from })).outs!;
            fake.requests.length = 0;
            const updated = await provider.update(NAME, olds, { ...inputs, state: move.to });
            assert.deepEqual(writes(), [`PUT /connectors/${NAME}/${move.call}`]);
            assert.deepEqual(stateOf(updated.outs), {
                state: move.to,
                connectorState: move.connectorState,
                tasks: move.tasks,
            });
        });
    }

    for (const state of ["paused", "stopped"] as const) {
        it(`a config update keeps a ${state} connector ${state} and waits for that state`, async () => {
            const olds = (await provider.create({ ...inputs, state })).outs!;
            fake.requests.length = 0;
            const news = { ...inputs, state, config: { ...seed, file: "/tmp/other.txt" } };
            const updated = await provider.update(NAME, olds, news);
            assert.deepEqual(writes(), [
                "PUT /connector-plugins/FileStreamSink/config/validate",
                `PUT /connectors/${NAME}/config`,
            ]);
            assert.equal(updated.outs?.connectorState, state.toUpperCase());
            assert.equal(fake.connectors.get(NAME)?.config.file, "/tmp/other.txt");
        });
    }

    it("a config and state change writes the config, then makes the state call", async () => {
        const olds = (await provider.create(inputs)).outs!;
        fake.requests.length = 0;
        const news: ConnectorInputs = { ...inputs, state: "paused", config: { ...seed, file: "/tmp/other.txt" } };
        const updated = await provider.update(NAME, olds, news);
        assert.deepEqual(writes(), [
            "PUT /connector-plugins/FileStreamSink/config/validate",
            `PUT /connectors/${NAME}/config`,
            `PUT /connectors/${NAME}/pause`,
        ]);
        assert.deepEqual(stateOf(updated.outs), { state: "paused", connectorState: "PAUSED", tasks: ["PAUSED"] });
    });

    it("read maps the real state back to the declared form: a hand-made pause is drift that up undoes", async () => {
        const olds = (await provider.create(inputs)).outs!;
        fake.connectors.get(NAME)!.paused = true;
        invalidateSnapshot(clientFor(inputs));
        const read = await provider.read(NAME, olds);
        assert.equal(read.props?.state, "paused");
        assert.equal(read.inputs?.state, "paused");
        assert.equal(read.props?.connectorState, "PAUSED");
        const declared = { ...inputs, state: "running" as const };
        assert.equal((await provider.diff(NAME, read.props!, declared)).changes, true);
        fake.requests.length = 0;
        const restored = await provider.update(NAME, read.props!, declared);
        assert.deepEqual(writes(), [`PUT /connectors/${NAME}/resume`]);
        assert.equal(restored.outs?.connectorState, "RUNNING");
    });

    it("read keeps the declared state when Connect reports one nobody declares (FAILED)", async () => {
        const olds = (await provider.create({ ...inputs, state: "paused" })).outs!;
        fake.connectors.get(NAME)!.connectorFailed = true;
        invalidateSnapshot(clientFor(inputs));
        const read = await provider.read(NAME, olds);
        assert.equal(read.props?.state, "paused");
        assert.equal(read.props?.connectorState, "FAILED");
    });

    it("pausing a connector whose task FAILED fails at once, naming the fix, and sends no pause", async () => {
        const olds = (await provider.create(inputs)).outs!;
        fake.connectors.get(NAME)!.taskState = "FAILED";
        fake.requests.length = 0;
        await assert.rejects(provider.update(NAME, olds, { ...inputs, state: "paused" }), {
            name: "ConnectClusterError",
            kind: "failed",
            field: `connectors["${NAME}"].state`,
            message:
                `connector "${NAME}" cannot be paused: task 0 FAILED, and a failed connector or task does not ` +
                `pause; restart it first (POST /connectors/${NAME}/restart?includeTasks=true&onlyFailed=true), ` +
                `or declare state "stopped", which a failed connector can reach.`,
        });
        assert.deepEqual(writes(), []);
    });

    it("a FAILED connector can be stopped", async () => {
        const olds = (await provider.create(inputs)).outs!;
        fake.connectors.get(NAME)!.connectorFailed = true;
        fake.connectors.get(NAME)!.taskState = "FAILED";
        const stopping = provider.update(NAME, olds, { ...inputs, state: "stopped" });
        // The fake reports FAILED while the flag is set; Connect reports STOPPED once stopped.
        await new Promise((resolve) => setTimeout(resolve, 100));
        fake.connectors.get(NAME)!.connectorFailed = false;
        assert.deepEqual(stateOf((await stopping).outs), { state: "stopped", connectorState: "STOPPED", tasks: [] });
    });

    it("a connector created paused that never reaches PAUSED is deleted again, with the last status", async () => {
        fake.nextTaskState = "UNASSIGNED";
        await assert.rejects(provider.create({ ...inputs, state: "paused", readyTimeoutMs: 600 }), {
            name: "ConnectClusterError",
            kind: "timeout",
            message:
                `connector "${NAME}" did not reach PAUSED within 600 ms; last status: connector PAUSED, task 0 ` +
                `UNASSIGNED.\n(the new connector was deleted again)`,
        });
        assert.equal(fake.connectors.has(NAME), false);
    });
});
