import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import {
    clientFor,
    connectorProvider,
    ConnectorInputs,
    ConnectorOutputs,
    plaintextPasswordKeys,
} from "../../components/provider/connectorProvider";
import { forgetValidations } from "../../components/provider/connectorOperations";
import { invalidateSnapshot } from "../../components/provider/snapshotCache";
import { FakeConnect } from "./support/fakeConnect";

const provider = connectorProvider as Required<typeof connectorProvider>;
const seed = {
    "connector.class": "FileStreamSink",
    file: "/tmp/test.sink.txt",
    "tasks.max": "1",
    topics: "szcode2.qa.avro.server",
};

describe("connector dynamic provider", () => {
    const fake = new FakeConnect();
    let inputs: ConnectorInputs;

    before(async () => {
        inputs = {
            name: "local-file-sink",
            config: seed,
            access: { url: { baseUrl: await fake.start() } },
            readyTimeoutMs: 2_000,
        };
    });
    after(() => fake.stop());
    beforeEach(() => {
        fake.connectors.clear();
        fake.requests.length = 0;
        fake.nextTaskState = "RUNNING";
        forgetValidations();
    });

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
        assert.equal(fake.requests.length, 0);
        const unreachable = { ...inputs, access: { url: { baseUrl: "http://127.0.0.1:9" } } };
        assert.deepEqual(await provider.check({} as ConnectorInputs, unreachable), { inputs: unreachable });
    });

    it("finds PASSWORD-type keys given as plain values, not as config-provider references", () => {
        const config = {
            "connection.password": "hunter2",
            "ssl.key.password": "${file:/etc/kafka-connect-secrets/c.properties:ssl.key.password}",
            topics: "t",
        };
        assert.deepEqual(
            plaintextPasswordKeys(config, ["connection.password", "ssl.key.password", "absent.password"]),
            ["connection.password"],
        );
    });

    it("a config validated by check is not validated again by the create of the same up", async () => {
        const checked = (await provider.check({} as ConnectorInputs, inputs)).inputs!;
        await provider.create(checked);
        assert.equal(fake.requests.filter((r) => r.path.endsWith("/config/validate")).length, 1);
    });

    it("a create that Connect rejects writes nothing", async () => {
        await assert.rejects(
            provider.create({ ...inputs, config: { ...seed, "bad.key": "x" } }),
            /Kafka Connect rejected the config \(1 error\(s\)\)/,
        );
        assert.equal(fake.connectors.size, 0);
        assert.deepEqual(
            fake.requests.filter((r) => r.method !== "GET").map((r) => r.path),
            ["/connector-plugins/FileStreamSink/config/validate"],
        );
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

    it("create PUTs the config, waits for RUNNING and returns the states", async () => {
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
                "PUT /connectors/local-file-sink/config",
            ],
        );
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
                "stack did not create it; delete it (DELETE /connectors/local-file-sink) or choose another name.",
        });
        assert.equal(fake.connectors.get("local-file-sink")?.config.file, "/elsewhere");
    });

    it("a create whose task FAILED deletes the new connector again and reports the trace", async () => {
        fake.nextTaskState = "FAILED";
        await assert.rejects(provider.create(inputs), {
            name: "ConnectClusterError",
            kind: "failed",
            message:
                'connector "local-file-sink": task 0 FAILED on worker 127.0.0.1:8083:\n' +
                "org.apache.kafka.connect.errors.ConnectException: boom\n\tat Fake.task(Fake.java:1)\n" +
                "(the new connector was deleted again)",
        });
        assert.equal(fake.connectors.has("local-file-sink"), false);
    });

    it("a failed update restores the previous config", async () => {
        const created = await provider.create(inputs);
        fake.nextTaskState = "FAILED";
        await assert.rejects(
            provider.update("local-file-sink", created.outs!, { ...inputs, config: { ...seed, file: "/bad" } }),
            /\(its previous config was restored\)$/,
        );
        assert.equal(fake.connectors.get("local-file-sink")?.config.file, "/tmp/test.sink.txt");
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

    it("delete removes the connector and treats an already-deleted one as gone", async () => {
        const created = (await provider.create(inputs)).outs!;
        await provider.delete("local-file-sink", created);
        assert.equal(fake.connectors.has("local-file-sink"), false);
        await provider.delete("local-file-sink", created);
    });
});
