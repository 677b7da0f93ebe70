/** ConnectCluster on mocks: what it hands the connector provider, and the serialized provider itself. */
import assert from "node:assert/strict";
import NodeModule from "node:module";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { FakeConnect } from "./support/fakeConnect";
import { MOCK_SALT, recordRegistrations } from "./support/pulumiMocks";
import { childrenReader, one, seedConnector } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;
const childrenOf = childrenReader(registrations);

describe("ConnectCluster and its serialized provider (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it(
        "passes the connector its normalized config, a secret REST access and a serialized provider without " +
            "credentials",
        async () => {
            const cluster = new lib.ConnectCluster("conn", {
                bootstrapServers: "b:9092",
                connectors: [seedConnector],
                restAccess: {
                    url: "https://connect.example:8083",
                    username: "admin",
                    password: pulumi.secret("hunter2-rest"),
                },
                connectorReadyTimeoutSeconds: 42,
            });
            const connector = one(await childrenOf(cluster), "pulumi-nodejs:dynamic/connectcluster:Connector");
            assert.equal(connector.inputs.name, "local-file-sink");
            assert.deepEqual(connector.inputs.config, {
                "connector.class": "FileStreamSink",
                file: "/tmp/test.sink.txt",
                "tasks.max": "1",
                topics: "szcode2.qa.avro.server",
            });
            assert.equal(connector.inputs.readyTimeoutMs, 42_000);
            assert.deepEqual(connector.inputs.access, {
                url: {
                    baseUrl: "https://connect.example:8083",
                    headers: { Authorization: `Basic ${Buffer.from("admin:hunter2-rest").toString("base64")}` },
                },
            });
            assert.deepEqual(connector.additionalSecretOutputs, ["access", "secretsDigest", "secretRedaction"]);
            const provider = connector.inputs.__provider as string;
            assert.ok(provider.includes("putConnectorConfig"), "the provider's code is serialized with the resource");
            assert.ok(
                !provider.includes("hunter2-rest") &&
                    !provider.includes(Buffer.from("admin:hunter2-rest").toString("base64")),
                "no credential in the serialized provider",
            );
        },
    );

    it("hands the connector keyed digests of its secretConfig values for redaction, never the values", async () => {
        const cluster = new lib.ConnectCluster("redact", {
            bootstrapServers: "b:9092",
            connectors: [{ ...seedConnector, secretConfig: { "db.password": pulumi.secret("s3cr3t-value") } }],
            restAccess: { url: "http://127.0.0.1:1" },
        });
        const connector = one(await childrenOf(cluster), "pulumi-nodejs:dynamic/connectcluster:Connector");
        const redaction = connector.inputs.secretRedaction as { salt: string; values: { length: number }[] };
        assert.deepEqual(
            redaction.values.map((value) => value.length),
            ["s3cr3t-value".length],
        );
        assert.equal(JSON.stringify(connector.inputs).includes("s3cr3t-value"), false);
        // Keyed by the component's salt (generated once, kept only in the state as a secret).
        assert.equal(redaction.salt, MOCK_SALT);
    });

    it(
        "serializes a provider that still works once deserialized, as the dynamic provider host loads it, on its " +
            "error paths too",
        async () => {
            const cluster = new lib.ConnectCluster("serialized", {
                bootstrapServers: "b:9092",
                connectors: [seedConnector],
                restAccess: { url: "http://127.0.0.1:1" },
            });
            const connector = one(await childrenOf(cluster), "pulumi-nodejs:dynamic/connectcluster:Connector");
            // What @pulumi/pulumi's dynamic provider host does with the serialized text: require it from a string.
            const loaded = new NodeModule("serialized-provider.js");
            loaded.paths = module.paths; // resolves the packages it requires from this project's node_modules
            (loaded as unknown as { _compile(code: string, filename: string): void })._compile(
                connector.inputs.__provider as string,
                "serialized-provider.js",
            );
            const provider = (loaded.exports as { handler(): pulumi.dynamic.ResourceProvider }).handler();
            // Port 1 refuses connections: the client's retry path runs, and must fail with its own message (the host
            // reports `error.message`). Both once broke only in serialized form: a captured Set, and Error subclasses.
            await assert.rejects(
                provider.create({
                    name: "x",
                    config: { "connector.class": "FileStreamSink", topics: "t" },
                    access: { url: { baseUrl: "http://127.0.0.1:1" } },
                    readyTimeoutMs: 1_500,
                }),
                (error: { message?: string; stack?: string }) => {
                    assert.match(
                        error.message ?? "",
                        new RegExp(
                            "^Kafka Connect REST API at http://127\\.0\\.0\\.1:1 is unreachable " +
                                '\\(GET /connectors/x/config for connector "x"\\): connect ECONNREFUSED ' +
                                "127\\.0\\.0\\.1:1 \\(gave up after \\d+ attempts in \\d+ ms\\)$",
                        ),
                    );
                    // The host logs `${error}: ${error.stack}`: a real Error, not "[object Object]", and no stack
                    // frames of the serialized code (`at __connectRestError (<anonymous>:185:34)` reached `pulumi up`).
                    assert.ok(error instanceof Error);
                    assert.equal(`${error}: ${error.stack}`, `ConnectClusterError: ${error.message}: `);
                    return true;
                },
            );
            // A config Connect rejects (HTTP 400) fails check at once, with Connect's message: recognising the
            // client's own error type once broke in serialized form, turning it into a retried "unreachable".
            const fake = new FakeConnect();
            try {
                const access = { url: { baseUrl: await fake.start() } };
                const checked = await provider.check!(
                    {},
                    {
                        name: "x",
                        config: { "connector.class": "NoSuchConnector", topics: "t" },
                        access,
                        readyTimeoutMs: 1_500,
                    },
                );
                assert.deepEqual(
                    checked.failures?.map((f) => f.reason),
                    [
                        "Kafka Connect rejected PUT /connector-plugins/NoSuchConnector/config/validate for connector " +
                            '"x": HTTP 400: Failed to find any class that implements Connector and which name ' +
                            "matches " +
                            "NoSuchConnector",
                    ],
                );
                // A broken plugin (HTTP 500 with NoClassDefFoundError) fails check at once with Connect's first
                // line; it was retried for the whole deadline and then reported as "cannot be reached".
                const started = Date.now();
                const broken = await provider.check!(
                    {},
                    {
                        name: "x",
                        config: { "connector.class": "BrokenPlugin", topics: "t" },
                        access,
                        readyTimeoutMs: 1_500,
                    },
                );
                assert.deepEqual(
                    broken.failures?.map((f) => f.reason),
                    [
                        "Kafka Connect rejected PUT /connector-plugins/BrokenPlugin/config/validate for " +
                            'connector "x": HTTP 500: java.lang.NoClassDefFoundError: com/example/broken/MissingHelper',
                    ],
                );
                assert.ok(Date.now() - started < 1_000, `check took ${Date.now() - started} ms`);
            } finally {
                await fake.stop();
            }
        },
    );
});
