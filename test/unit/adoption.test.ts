/**
 * Adoption on the fake Connect: exactly which requests taking over an existing connector sends — none that
 * write when config and state already match, one PUT config when the config differs, one state call when only
 * the state differs — and the conflict without `adopt` left as it was.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { adoptionPlan } from "../../components/provider/adoption";
import { connectorProvider, ConnectorInputs } from "../../components/provider/connectorProvider";
import { SEED_CONFIG as seed, useFakeConnect } from "./support/connectorSuite";

const provider = connectorProvider as Required<typeof connectorProvider>;

describe("adopting an existing connector", () => {
    const { fake, inputs: seedInputs } = useFakeConnect();
    let inputs: ConnectorInputs;
    before(() => (inputs = { ...seedInputs(), adopt: true }));
    const writes = () =>
        fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.split("?")[0]}`);

    it("plans from what Connect returns: its `name` key is no difference, a changed key or state is", () => {
        const found = { ...seed, name: "local-file-sink" };
        assert.deepEqual(adoptionPlan(inputs, found, "RUNNING"), {
            writeConfig: false,
            changeState: false,
            found: seed,
        });
        assert.deepEqual(adoptionPlan(inputs, { ...found, "tasks.max": "2" }, "RUNNING"), {
            writeConfig: true,
            changeState: false,
            found: { ...seed, "tasks.max": "2" },
        });
        assert.deepEqual(adoptionPlan({ ...inputs, state: "paused" }, found, "RUNNING").changeState, true);
    });

    it("same config and state: takes it over without writing anything (no restart)", async () => {
        fake.connectors.set("local-file-sink", { config: { ...seed, name: "local-file-sink" }, taskState: "RUNNING" });
        const created = await provider.create(inputs);
        assert.equal(created.id, "local-file-sink");
        assert.equal(created.outs!.connectorState, "RUNNING");
        assert.equal(created.outs!.adopt, true);
        assert.deepEqual(writes(), []);
    });

    it("a different config: validated, written once (PUT config), no state call when RUNNING", async () => {
        fake.connectors.set("local-file-sink", {
            config: { ...seed, file: "/elsewhere", name: "local-file-sink" },
            taskState: "RUNNING",
        });
        const created = await provider.create(inputs);
        assert.equal(created.outs!.connectorState, "RUNNING");
        assert.equal(fake.connectors.get("local-file-sink")?.config.file, seed.file);
        assert.deepEqual(writes(), [
            "PUT /connector-plugins/FileStreamSink/config/validate",
            "PUT /connectors/local-file-sink/config",
        ]);
    });

    it("only the state differs: exactly the state call, no config write", async () => {
        fake.connectors.set("local-file-sink", { config: { ...seed, name: "local-file-sink" }, taskState: "RUNNING" });
        const created = await provider.create({ ...inputs, state: "stopped" });
        assert.equal(created.outs!.connectorState, "STOPPED");
        assert.deepEqual(writes(), ["PUT /connectors/local-file-sink/stop"]);
    });

    it("without adopt, a different config still fails with the conflict, and nothing is written", async () => {
        fake.connectors.set("local-file-sink", {
            config: { ...seed, file: "/elsewhere", name: "local-file-sink" },
            taskState: "RUNNING",
        });
        await assert.rejects(provider.create({ ...inputs, adopt: false }), { kind: "conflict" });
        assert.deepEqual(writes(), []);
    });

    it("adopt on a connector that does not exist creates it as usual", async () => {
        const created = await provider.create(inputs);
        assert.equal(created.outs!.connectorState, "RUNNING");
        assert.deepEqual(writes(), ["PUT /connector-plugins/FileStreamSink/config/validate", "POST /connectors"]);
    });
});
