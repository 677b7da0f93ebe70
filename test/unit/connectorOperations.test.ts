import assert from "node:assert/strict";
import { before, describe, it, mock } from "node:test";
import {
    apply,
    changedStateOnlyInputs,
    clientFor,
    deleteConnector,
    forgetValidations,
    plaintextPasswordKeys,
    renameWithOffsets,
    validateWithConnect,
    warnOnce,
    withPreviousStatus,
    withStatus,
} from "../../components/provider/connectorOperations";
import { ConnectorInputs, ConnectorOutputs } from "../../components/provider/connectorTypes";
import { DEFAULT_RETRY_POLICY } from "../../components/rest/restClient";
import { SEED_CONFIG as seed, useFakeConnect } from "./support/connectorSuite";

describe("connector operations", () => {
    const { fake, inputs: seedInputs } = useFakeConnect();
    let inputs: ConnectorInputs;
    const writes = () => fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    before(() => (inputs = seedInputs()));

    it("clientFor targets the access URL and bounds the retry deadline by the ready timeout", () => {
        const target = { baseUrl: "https://connect:8443", headers: { Authorization: "Basic a" } };
        const client = clientFor({ access: { url: target }, readyTimeoutMs: 20_000 });
        assert.deepEqual(client.target, target);
        assert.deepEqual(client.retry, { ...DEFAULT_RETRY_POLICY, deadlineMs: 20_000 });
        const patient = clientFor({ access: { url: target }, readyTimeoutMs: 600_000 });
        assert.equal(patient.retry.deadlineMs, DEFAULT_RETRY_POLICY.deadlineMs);
        assert.equal(clientFor({ access: { url: target }, readyTimeoutMs: 600_000 }, 5_000).retry.deadlineMs, 5_000);
    });

    it("validateWithConnect throws every per-key message, and validates one config once per process", async () => {
        const client = clientFor(inputs);
        await assert.rejects(validateWithConnect(client, { ...inputs, config: { ...seed, "bad.key": "x" } }), {
            message:
                'connector "local-file-sink": Kafka Connect rejected the config (1 error(s)):\n  bad.key: ' +
                "Invalid value x for configuration bad.key",
        });
        await validateWithConnect(client, inputs);
        await validateWithConnect(client, inputs);
        assert.deepEqual(writes(), [
            "PUT /connector-plugins/FileStreamSink/config/validate",
            "PUT /connector-plugins/FileStreamSink/config/validate",
        ]);
        forgetValidations();
        await validateWithConnect(client, inputs);
        assert.equal(writes().length, 3);
    });

    it("validateWithConnect warns once about a PASSWORD key given in plain config", async (t) => {
        const warn = t.mock.method(console, "warn", () => undefined);
        const withPassword = { ...inputs, config: { ...seed, "connection.password": "hunter2" } };
        await validateWithConnect(clientFor(inputs), withPassword);
        forgetValidations();
        await validateWithConnect(clientFor(inputs), withPassword);
        assert.deepEqual(
            warn.mock.calls.map((call) => call.arguments),
            [
                [
                    'warning: connector "local-file-sink": "connection.password" is a PASSWORD setting in Kafka ' +
                        "Connect but is given in plain config; move it to secretConfig so its value stays out of " +
                        "Connect's config topic, its REST API and Pulumi diffs.",
                ],
            ],
        );
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

    it("warnOnce prints each distinct message once", () => {
        const warn = mock.method(console, "warn", () => undefined);
        try {
            warnOnce("operations test: first");
            warnOnce("operations test: first");
            warnOnce("operations test: second");
            assert.deepEqual(
                warn.mock.calls.map((call) => call.arguments),
                [["warning: operations test: first"], ["warning: operations test: second"]],
            );
        } finally {
            warn.mock.restore();
        }
    });

    it("withStatus keeps every defined input, leaves out undefined ones and maps the states", () => {
        const outputs = withStatus(
            { ...inputs, secretsDigest: undefined, deleteOffsetsOnDelete: false },
            {
                name: "local-file-sink",
                connector: { state: "RUNNING", worker_id: "w1:8083" },
                tasks: [{ id: 0, state: "RUNNING", worker_id: "w2:8083" }],
                type: "sink",
            },
        );
        assert.deepEqual(outputs, {
            ...inputs,
            deleteOffsetsOnDelete: false,
            connectorState: "RUNNING",
            workerId: "w1:8083",
            tasks: [{ id: 0, state: "RUNNING", workerId: "w2:8083" }],
        });
        assert.ok(!("secretsDigest" in outputs), "an undefined input is left out (the engine rejects undefined)");
        assert.deepEqual(withStatus(inputs, undefined), {
            ...inputs,
            connectorState: "UNKNOWN",
            workerId: "",
            tasks: [],
        });
    });

    it("changedStateOnlyInputs names each changed input Connect never sees, as canonical JSON", () => {
        const access = { url: { baseUrl: "http://a:8083", headers: { Authorization: "Basic a", "X-B": "b" } } };
        const olds: ConnectorInputs = { ...inputs, access };
        const rows: { readonly news: ConnectorInputs; readonly changed: string[] }[] = [
            { news: olds, changed: [] },
            {
                news: {
                    ...olds,
                    access: { url: { headers: { "X-B": "b", Authorization: "Basic a" }, baseUrl: "http://a:8083" } },
                },
                changed: [],
            },
            { news: { ...olds, config: { ...seed, file: "/elsewhere" }, secretsDigest: "d2" }, changed: [] },
            { news: { ...olds, access: { url: { baseUrl: "http://b:8083" } } }, changed: ["access"] },
            { news: { ...olds, deleteOffsetsOnDelete: false }, changed: ["deleteOffsetsOnDelete"] },
            { news: { ...olds, readyTimeoutMs: 1 }, changed: ["readyTimeoutMs"] },
            { news: { ...olds, rename: { from: "old", mode: "reset" } }, changed: ["rename"] },
            {
                news: { ...inputs, deleteOffsetsOnDelete: true, readyTimeoutMs: 1 },
                changed: ["access", "deleteOffsetsOnDelete", "readyTimeoutMs"],
            },
        ];
        for (const { news, changed } of rows) {
            assert.deepEqual(changedStateOnlyInputs(olds, news), changed, JSON.stringify(news));
        }
    });

    it("withPreviousStatus returns the new inputs with the status observed last", () => {
        const previous: ConnectorOutputs = {
            ...inputs,
            connectorState: "PAUSED",
            workerId: "w1:8083",
            tasks: [{ id: 0, state: "PAUSED", workerId: "w2:8083" }],
        };
        const news = { ...inputs, deleteOffsetsOnDelete: true, readyTimeoutMs: 9_000 };
        assert.deepEqual(withPreviousStatus(news, previous), {
            ...news,
            connectorState: "PAUSED",
            workerId: "w1:8083",
            tasks: [{ id: 0, state: "PAUSED", workerId: "w2:8083" }],
        });
    });

    it("apply validates, PUTs and returns the RUNNING states; a config Connect rejects writes nothing", async () => {
        const outputs = await apply(inputs, undefined);
        assert.deepEqual(outputs, {
            ...inputs,
            connectorState: "RUNNING",
            workerId: "127.0.0.1:8083",
            tasks: [{ id: 0, state: "RUNNING", workerId: "127.0.0.1:8083" }],
        });
        assert.deepEqual(writes(), [
            "PUT /connector-plugins/FileStreamSink/config/validate",
            "PUT /connectors/local-file-sink/config",
        ]);
        fake.requests.length = 0;
        await assert.rejects(apply({ ...inputs, name: "rejected", config: { ...seed, "bad.key": "x" } }, undefined), {
            message:
                'connector "rejected": Kafka Connect rejected the config (1 error(s)):\n  bad.key: Invalid value x ' +
                "for configuration bad.key",
        });
        assert.deepEqual(writes(), ["PUT /connector-plugins/FileStreamSink/config/validate"]);
        assert.equal(fake.connectors.has("rejected"), false);
    });

    it("apply with restart writes the same config again and restarts the connector and its tasks", async () => {
        await apply(inputs, undefined);
        fake.requests.length = 0;
        await apply({ ...inputs, secretsDigest: "d2" }, inputs.config, true);
        assert.deepEqual(writes(), [
            "PUT /connectors/local-file-sink/config",
            "POST /connectors/local-file-sink/restart?includeTasks=true&onlyFailed=false",
        ]);
    });

    it("apply deletes a new connector whose task FAILED, and reports the trace", async () => {
        fake.nextTaskState = "FAILED";
        await assert.rejects(apply(inputs, undefined), {
            message:
                'connector "local-file-sink": task 0 FAILED on worker 127.0.0.1:8083:\n' +
                "org.apache.kafka.connect.errors.ConnectException: boom\n\tat Fake.task(Fake.java:1)\n" +
                "(the new connector was deleted again)",
        });
        assert.equal(fake.connectors.has("local-file-sink"), false);
    });

    it("apply restores the previous config when the updated connector fails", async () => {
        await apply(inputs, undefined);
        fake.nextTaskState = "FAILED";
        await assert.rejects(
            apply({ ...inputs, config: { ...seed, file: "/bad" } }, inputs.config),
            /\n\(its previous config was restored\)$/,
        );
        assert.deepEqual(fake.connectors.get("local-file-sink")?.config, { ...seed, name: "local-file-sink" });
    });

    it("apply keeps a connector that runs zero tasks and reports it RUNNING with tasks []", async () => {
        fake.nextTaskCount = 0;
        const outputs = await apply({ ...inputs, readyTimeoutMs: 10_000 }, undefined);
        assert.deepEqual([outputs.connectorState, outputs.tasks], ["RUNNING", []]);
        assert.equal(fake.connectors.has("local-file-sink"), true);
        assert.deepEqual(writes(), [
            "PUT /connector-plugins/FileStreamSink/config/validate",
            "PUT /connectors/local-file-sink/config",
        ]);
    });

    it("renameWithOffsets refuses when the previous connector does not exist, and writes nothing", async () => {
        await assert.rejects(renameWithOffsets({ ...inputs, name: "renamed" }, "gone"), {
            message:
                'connector "renamed": onRename is "copy-offsets" but the previous connector "gone" does not exist, ' +
                "so there are no offsets to copy; if the rename is already done, remove previousName and onRename.",
        });
        assert.deepEqual(writes(), ["PUT /connector-plugins/FileStreamSink/config/validate"]);
    });

    it("deleteConnector deletes, keeps offsets by default, and treats a connector already gone as gone", async () => {
        await apply(inputs, undefined);
        fake.requests.length = 0;
        await deleteConnector("local-file-sink", inputs);
        await deleteConnector("local-file-sink", inputs);
        assert.deepEqual(writes(), ["DELETE /connectors/local-file-sink", "DELETE /connectors/local-file-sink"]);
        assert.equal(fake.connectors.has("local-file-sink"), false);
    });

    it("deleteConnector with deleteOffsetsOnDelete stops the connector and deletes its offsets first", async () => {
        await apply(inputs, undefined);
        fake.requests.length = 0;
        await deleteConnector("local-file-sink", { ...inputs, deleteOffsetsOnDelete: true });
        assert.deepEqual(writes(), [
            "PUT /connectors/local-file-sink/stop",
            "DELETE /connectors/local-file-sink/offsets",
            "DELETE /connectors/local-file-sink",
        ]);
        // Already gone: nothing to stop, the DELETE answers 404 and counts as done.
        fake.requests.length = 0;
        await deleteConnector("local-file-sink", { ...inputs, deleteOffsetsOnDelete: true });
        assert.deepEqual(writes(), ["DELETE /connectors/local-file-sink"]);
    });
});
