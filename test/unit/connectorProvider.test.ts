import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
    clientFor,
    connectorProvider,
    ConnectorInputs,
    ConnectorOutputs,
} from "../../components/provider/connectorProvider";
import { invalidateSnapshot } from "../../components/provider/snapshotCache";
import { RestTarget } from "../../components/rest/restClient";
import { SEED_CONFIG as seed, useFakeConnect } from "./support/connectorSuite";
import { FakeConnect } from "./support/fakeConnect";

const provider = connectorProvider as Required<typeof connectorProvider>;

describe("connector dynamic provider", () => {
    const { fake, inputs: seedInputs } = useFakeConnect();
    let inputs: ConnectorInputs;
    before(() => (inputs = seedInputs()));

    it("check normalizes values to strings", async () => {
        const result = await provider.check(inputs, {
            ...inputs,
            config: { ...seed, "tasks.max": 2 } as unknown as Record<string, string>,
        });
        assert.deepEqual(result, { inputs: { ...inputs, config: { ...seed, "tasks.max": "2" } } });
    });

    it("check fails with the field and the fix, and sends nothing", async () => {
        const result = await provider.check(inputs, { ...inputs, config: { topics: "t" } });
        assert.deepEqual(result.failures, [
            {
                property: "config",
                reason:
                    'connectors["local-file-sink"].config["connector.class"] is required (e.g. "FileStreamSink" ' +
                    "or a fully qualified class name).",
            },
        ]);
        assert.equal(fake.requests.length, 0);
    });

    it("check has Connect validate a new config and fails the preview with its per-key messages", async () => {
        const result = await provider.check({} as ConnectorInputs, { ...inputs, config: { ...seed, "bad.key": "x" } });
        assert.deepEqual(result.failures, [
            {
                property: "config",
                reason:
                    'connector "local-file-sink": Kafka Connect rejected the config (1 error(s)):\n  bad.key: ' +
                    "Invalid value x for configuration bad.key",
            },
        ]);
        const unknownClass = await provider.check({} as ConnectorInputs, {
            ...inputs,
            config: { ...seed, "connector.class": "NoSuchConnector" },
        });
        assert.deepEqual(unknownClass.failures, [
            {
                property: "config",
                reason:
                    "Kafka Connect rejected PUT /connector-plugins/NoSuchConnector/config/validate for connector " +
                    '"local-file-sink": HTTP 400: Failed to find any class that implements Connector and which name ' +
                    "matches NoSuchConnector",
            },
        ]);
        assert.equal(fake.connectors.size, 0);
    });

    it(
        "check validates although the engine's inputs carry the serialized provider, whose code holds the " +
            "unknown-value marker",
        async () => {
            const fromEngine = {
                ...inputs,
                config: { ...seed, "bad.key": "x" },
                __provider: 'exports.handler = ... "04da6b54-80e4-46f7-96ec-b56ff0331ba9" ...',
            };
            const result = await provider.check({} as ConnectorInputs, fromEngine);
            assert.equal(result.failures?.length, 1);
            assert.equal(fake.requests.filter((r) => r.path.endsWith("/config/validate")).length, 1);
            // A value really unknown at preview (an output of a resource not created yet) skips remote validation.
            const unknownUrl = { ...inputs, access: { url: { baseUrl: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } } };
            assert.deepEqual(await provider.check({} as ConnectorInputs, unknownUrl), { inputs: unknownUrl });
            assert.equal(fake.requests.filter((r) => r.path.endsWith("/config/validate")).length, 1);
        },
    );

    it("check skips remote validation for an unchanged config and when the REST API is unreachable", async () => {
        const olds = { ...inputs };
        assert.deepEqual(await provider.check(olds, inputs), { inputs });
        // No validation: only the one listing (failed tasks) that every connector's check in this process shares.
        assert.deepEqual(
            fake.requests.map((r) => `${r.method} ${r.path}`),
            ["GET /connectors?expand=info&expand=status"],
        );
        assert.deepEqual(await provider.check(olds, { ...inputs, readyTimeoutMs: 3_000 }), {
            inputs: { ...inputs, readyTimeoutMs: 3_000 },
        });
        assert.equal(fake.requests.length, 1);
        const unreachable = { ...inputs, access: { url: { baseUrl: "http://127.0.0.1:9" } } };
        assert.deepEqual(await provider.check({} as ConnectorInputs, unreachable), { inputs: unreachable });
    });

    it("a config validated by check is not validated again by the create of the same up", async () => {
        const checked = (await provider.check({} as ConnectorInputs, inputs)).inputs!;
        await provider.create(checked);
        assert.equal(fake.requests.filter((r) => r.path.endsWith("/config/validate")).length, 1);
    });

    it("read serves every connector from one listing", async () => {
        const created = (await provider.create(inputs)).outs!;
        await provider.create({ ...inputs, name: "second" });
        fake.requests.length = 0;
        await provider.read("local-file-sink", created);
        await provider.read("second", { ...created, name: "second" });
        assert.deepEqual(
            fake.requests.map((r) => r.path),
            ["/connectors?expand=info&expand=status"],
        );
    });

    it("diff sees no change for the same config, a change per key, a replacement for a new name", async () => {
        const olds = { ...inputs, connectorState: "RUNNING", workerId: "w", tasks: [] } as ConnectorOutputs;
        assert.deepEqual(await provider.diff("local-file-sink", olds, inputs), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        assert.deepEqual(
            await provider.diff("local-file-sink", olds, { ...inputs, config: { ...seed, file: "/tmp/other.txt" } }),
            {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            },
        );
        assert.deepEqual(await provider.diff("local-file-sink", olds, { ...inputs, name: "renamed" }), {
            changes: true,
            replaces: ["name"],
            deleteBeforeReplace: false,
        });
    });

    it("diff reports a change, never a replacement, for each input kept in state for later calls", async () => {
        const olds = { ...inputs, connectorState: "RUNNING", workerId: "w", tasks: [] } as ConnectorOutputs;
        const baseUrl = (inputs.access as { url: RestTarget }).url.baseUrl;
        const cases: { readonly change: string; readonly news: ConnectorInputs }[] = [
            { change: "access moved", news: { ...inputs, access: { url: { baseUrl: "http://127.0.0.1:18083" } } } },
            {
                change: "REST password rotated",
                news: { ...inputs, access: { url: { baseUrl, headers: { Authorization: "Basic bmV3" } } } },
            },
            { change: "delete policy turned on", news: { ...inputs, deleteOffsetsOnDelete: true } },
            { change: "ready timeout", news: { ...inputs, readyTimeoutMs: 5_000 } },
            { change: "rename recorded", news: { ...inputs, rename: { from: "old-sink", mode: "reset" } } },
        ];
        for (const { change, news } of cases) {
            assert.deepEqual(
                await provider.diff("local-file-sink", olds, news),
                { changes: true, replaces: [], deleteBeforeReplace: false },
                change,
            );
        }
    });

    it("diff compares access as canonical JSON: the same target with keys in another order is no change", async () => {
        const target = { baseUrl: "http://127.0.0.1:18083", headers: { Authorization: "Basic a", "X-B": "b" } };
        const olds = { ...inputs, access: { url: target }, connectorState: "RUNNING", workerId: "w", tasks: [] };
        const reordered = { headers: { "X-B": "b", Authorization: "Basic a" }, baseUrl: "http://127.0.0.1:18083" };
        assert.deepEqual(await provider.diff("local-file-sink", olds, { ...inputs, access: { url: reordered } }), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("an update of only state-kept inputs makes no REST call and returns them with the observed status", async () => {
        const created = (await provider.create(inputs)).outs!;
        const moved = new FakeConnect();
        const movedUrl = await moved.start();
        try {
            fake.requests.length = 0;
            const news: ConnectorInputs = {
                ...inputs,
                access: { url: { baseUrl: movedUrl, headers: { Authorization: "Basic cm90YXRlZA==" } } },
                deleteOffsetsOnDelete: true,
                readyTimeoutMs: 3_000,
            };
            const updated = await provider.update("local-file-sink", created, news);
            assert.deepEqual(updated.outs, {
                ...news,
                connectorState: "RUNNING",
                workerId: "127.0.0.1:8083",
                tasks: [{ id: 0, state: "RUNNING", workerId: "127.0.0.1:8083" }],
            });
            assert.deepEqual(fake.requests, []);
            assert.deepEqual(moved.requests, []);
        } finally {
            await moved.stop();
        }
    });

    it("a delete policy turned on after create applies at delete", async () => {
        const created = (await provider.create(inputs)).outs!;
        // As the engine does: update only when diff reports a change, else keep the old state.
        const news = { ...inputs, deleteOffsetsOnDelete: true };
        const { changes } = await provider.diff("local-file-sink", created, news);
        const state = changes ? (await provider.update("local-file-sink", created, news)).outs! : created;
        fake.requests.length = 0;
        await provider.delete("local-file-sink", state);
        assert.deepEqual(
            fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`),
            [
                "PUT /connectors/local-file-sink/stop",
                "DELETE /connectors/local-file-sink/offsets",
                "DELETE /connectors/local-file-sink",
            ],
        );
        assert.equal(fake.connectors.has("local-file-sink"), false);
    });

    it("create POSTs the connector in its declared state, waits for RUNNING and returns the states", async () => {
        const result = await provider.create(inputs);
        assert.equal(result.id, "local-file-sink");
        assert.equal(result.outs?.connectorState, "RUNNING");
        assert.deepEqual(result.outs?.tasks, [{ id: 0, state: "RUNNING", workerId: "127.0.0.1:8083" }]);
        assert.deepEqual(fake.connectors.get("local-file-sink")?.config, { ...seed, name: "local-file-sink" });
        assert.deepEqual(
            fake.requests.slice(0, 3).map((r) => `${r.method} ${r.path}`),
            [
                "GET /connectors/local-file-sink/config",
                "PUT /connector-plugins/FileStreamSink/config/validate",
                "POST /connectors",
            ],
        );
        assert.deepEqual(JSON.parse(fake.requests[2].body), {
            name: "local-file-sink",
            config: seed,
            initial_state: "RUNNING",
        });
    });

    it("create adopts an identical existing connector but refuses to overwrite a different one", async () => {
        fake.connectors.set("local-file-sink", { config: { ...seed, name: "local-file-sink" }, taskState: "RUNNING" });
        assert.equal((await provider.create(inputs)).id, "local-file-sink");
        fake.connectors.set("local-file-sink", {
            config: { ...seed, file: "/elsewhere", name: "local-file-sink" },
            taskState: "RUNNING",
        });
        await assert.rejects(provider.create(inputs), {
            name: "ConnectClusterError",
            kind: "conflict",
            field: "name",
            message:
                'connector "local-file-sink" already exists in the Connect cluster with a different config, and this ' +
                "stack did not create it; delete it (DELETE /connectors/local-file-sink), choose another name, or " +
                "declare adopt: true to take it over.",
        });
        assert.equal(fake.connectors.get("local-file-sink")?.config.file, "/elsewhere");
    });

    it("a changed secret digest is a change, and the update restarts the connector and its tasks", async () => {
        const created = (await provider.create({ ...inputs, secretsDigest: "d1" })).outs!;
        const rotated = { ...inputs, secretsDigest: "d2" };
        assert.equal((await provider.diff("local-file-sink", created, rotated)).changes, true);
        fake.requests.length = 0;
        const updated = await provider.update("local-file-sink", created, rotated);
        assert.equal(updated.outs?.secretsDigest, "d2");
        // The config text is unchanged (validated when it was created): written again, then restarted.
        assert.deepEqual(
            fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`),
            [
                "PUT /connectors/local-file-sink/config",
                "POST /connectors/local-file-sink/restart?includeTasks=true&onlyFailed=false",
            ],
        );
    });

    it("read reports out-of-band edits and deletion (drift)", async () => {
        const created = (await provider.create(inputs)).outs!;
        fake.connectors.get("local-file-sink")!.config.file = "/tmp/edited.txt";
        const read = await provider.read("local-file-sink", created);
        assert.equal(read.id, "local-file-sink");
        assert.deepEqual(read.props?.config, { ...seed, file: "/tmp/edited.txt" });
        assert.deepEqual(read.inputs?.config, { ...seed, file: "/tmp/edited.txt" });
        assert.equal((await provider.diff("local-file-sink", read.props!, inputs)).changes, true);
        assert.ok(
            !Object.values(read.props!).includes(undefined) && !Object.values(read.inputs!).includes(undefined),
            "no undefined value (the engine's protobuf encoding rejects it)",
        );
        fake.connectors.delete("local-file-sink");
        invalidateSnapshot(clientFor(inputs));
        assert.deepEqual(await provider.read("local-file-sink", created), {});
    });

    it("read of a connector that did not drift gives back exactly the inputs check gives its declaration", async () => {
        // Any other inputs would make the engine save the whole stack state once per connector on the next up.
        const checked = (await provider.check({} as ConnectorInputs, inputs)).inputs!;
        const created = (await provider.create(checked)).outs!;
        const read = await provider.read("local-file-sink", created);
        assert.deepEqual(read.inputs, (await provider.check(checked, inputs)).inputs);
        assert.equal(read.props?.state, "running");
        assert.equal(read.props?.connectorState, "RUNNING");
        // Paused by hand: the observed state is an input, so the next preview shows it as drift.
        fake.connectors.get("local-file-sink")!.paused = true;
        invalidateSnapshot(clientFor(inputs));
        const drifted = (await provider.read("local-file-sink", created)).inputs!;
        assert.deepEqual(drifted, { ...checked, state: "paused" });
        assert.equal((await provider.diff("local-file-sink", drifted as ConnectorOutputs, checked)).changes, true);
    });
});
