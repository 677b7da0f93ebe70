/**
 * ConnectCluster on mocks: the Secrets (worker properties, connector JSON, secretConfig values), what rolls the
 * workers, and the salted checksum that rolls them.
 */
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { MOCK_SALT, recordRegistrations, valueOf } from "./support/pulumiMocks";
import { childrenReader, one, seedConnector } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;
const childrenOf = childrenReader(registrations);

describe("ConnectCluster Secrets and rolling (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it(
        "puts the rendered properties in the worker Secret, the seed's connector JSON in a reference Secret, and " +
            "keeps them secret",
        async () => {
            const cluster = new lib.ConnectCluster("secret", {
                bootstrapServers: "b:9092",
                groupId: "local-file-sink",
                namespace: "kc",
                connectors: [seedConnector],
            });
            const children = await childrenOf(cluster);
            assert.deepEqual(
                children
                    .filter((r) => r.type === "kubernetes:core/v1:Secret")
                    .map((r) => r.name)
                    .sort(),
                ["secret-connectors", "secret-worker-config"],
            );
            const secret = children.find((r) => r.name === "secret-worker-config")!;
            const reference = children.find((r) => r.name === "secret-connectors")!;
            const data = secret.inputs.stringData as Record<string, string>;
            assert.deepEqual(Object.keys(data), ["distributed.properties"]);
            assert.equal(data["distributed.properties"], await valueOf(cluster.workerProperties));
            assert.match(data["distributed.properties"], /^group\.id=local-file-sink$/m);
            const referenceData = reference.inputs.stringData as Record<string, string>;
            assert.deepEqual(Object.keys(referenceData), ["local-file-sink.json"]);
            assert.deepEqual((reference.inputs.metadata as { name: string }).name, "secret-connectors");
            assert.deepEqual(JSON.parse(referenceData["local-file-sink.json"]), {
                name: "local-file-sink",
                config: {
                    "connector.class": "FileStreamSink",
                    file: "/tmp/test.sink.txt",
                    "tasks.max": "1",
                    topics: "szcode2.qa.avro.server",
                },
            });
            assert.deepEqual(secret.inputs.metadata, {
                name: "secret-worker-config",
                namespace: "kc",
                labels: {
                    "app.kubernetes.io/name": "kafka-connect",
                    "app.kubernetes.io/instance": "secret",
                    "app.kubernetes.io/managed-by": "pulumi",
                    "connectcluster.io/group-id": "local-file-sink",
                },
            });
            assert.equal(await pulumi.isSecret(cluster.workerProperties), true);
            assert.deepEqual(reference.additionalSecretOutputs, ["data", "stringData"]);
        },
    );

    it(
        "edits a connector without touching the workers: only its reference Secret changes, not the worker Secret " +
            "or the Deployment",
        async () => {
            const declared = async (name: string, tasksMax: number) => {
                const cluster = new lib.ConnectCluster(name, {
                    bootstrapServers: "b:9092",
                    groupId: "g",
                    connectors: [{ ...seedConnector, config: { ...seedConnector.config, "tasks.max": tasksMax } }],
                });
                const children = await childrenOf(cluster);
                // Inputs as they would be under one component name, to compare the two declarations.
                const inputsOf = (suffix: string) =>
                    JSON.parse(
                        JSON.stringify(children.find((r) => r.name === `${name}${suffix}`)?.inputs ?? null).replaceAll(
                            name,
                            "c",
                        ),
                    );
                return {
                    workerSecret: inputsOf("-worker-config"),
                    deployment: inputsOf("-workers"),
                    reference: inputsOf("-connectors"),
                    connector: inputsOf("-local-file-sink"),
                };
            };
            const before = await declared("edit-a", 1);
            const after = await declared("edit-b", 2);
            assert.deepEqual(after.workerSecret, before.workerSecret);
            assert.deepEqual(after.deployment, before.deployment);
            assert.notDeepEqual(after.reference, before.reference);
            assert.equal(JSON.parse(after.reference.stringData["local-file-sink.json"]).config["tasks.max"], "2");
            assert.equal(after.connector.config["tasks.max"], "2");
        },
    );

    it(
        "rolls the workers when what they read changes (worker properties, secret values), not for a " +
            "connector's config",
        async () => {
            const annotation = async (name: string, args: { groupId?: string; file?: string; token?: string }) => {
                const cluster = new lib.ConnectCluster(name, {
                    bootstrapServers: "b:9092",
                    groupId: args.groupId ?? "g",
                    connectors: [
                        {
                            name: "c",
                            config: { "connector.class": "FileStreamSink", file: args.file ?? "/tmp/a.txt" },
                            secretConfig: { token: args.token ?? "t1" },
                        },
                    ],
                });
                const deployment = one(await childrenOf(cluster), "kubernetes:apps/v1:Deployment");
                const spec = deployment.inputs.spec as {
                    template: { metadata: { annotations: Record<string, string> } };
                };
                return spec.template.metadata.annotations["connectcluster.io/config-checksum"];
            };
            const first = await annotation("roll-a", {});
            assert.match(first, /^[0-9a-f]{64}$/);
            assert.equal(
                await annotation("roll-b", { file: "/tmp/b.txt" }),
                first,
                "a connector config change goes through the REST API only",
            );
            assert.notEqual(
                await annotation("roll-c", { groupId: "other" }),
                first,
                "new worker properties roll the workers",
            );
            assert.notEqual(await annotation("roll-d", { token: "t2" }), first, "a new secret value rolls the workers");
        },
    );

    it(
        "keys the pod template's checksum with a salt kept only in the state (an HMAC): no password guess can be " +
            "tested against it offline",
        async () => {
            const cluster = new lib.ConnectCluster("salted", {
                bootstrapServers: "b:9092",
                kafkaSecurity: {
                    protocol: "SASL_PLAINTEXT",
                    sasl: { mechanism: "PLAIN", username: "u", password: pulumi.secret("kafka-password") },
                },
                connectors: [{ ...seedConnector, secretConfig: { token: pulumi.secret("t1") } }],
            });
            const children = await childrenOf(cluster);
            const salt = one(children, "pulumi-nodejs:dynamic/connectcluster:Salt");
            assert.equal(salt.name, "salted-config-checksum-salt");
            assert.deepEqual(salt.additionalSecretOutputs, ["value"]);
            const stringData = (secretName: string) =>
                children.find((r) => r.name === secretName)!.inputs.stringData as Record<string, string>;
            // What the workers read at start: the properties (with the SASL password) and the connector's secrets.
            const files: Record<string, string> = {
                "distributed.properties": stringData("salted-worker-config")["distributed.properties"],
                "secret:local-file-sink.properties":
                    stringData("salted-connector-secrets")["local-file-sink.properties"],
            };
            assert.match(files["distributed.properties"], /kafka-password/);
            const canonical = Object.keys(files)
                .sort()
                .map((key) => `${key}\0${files[key]}\0`)
                .join("");
            const deployment = one(children, "kubernetes:apps/v1:Deployment");
            const annotation = (deployment.inputs.spec as { template: { metadata: { annotations: object } } }).template
                .metadata.annotations;
            assert.deepEqual(annotation, {
                "connectcluster.io/config-checksum": createHmac("sha256", MOCK_SALT).update(canonical).digest("hex"),
            });
            assert.notEqual(
                Object.values(annotation)[0],
                createHash("sha256").update(canonical).digest("hex"),
                "not the plain SHA-256 of the files",
            );
        },
    );

    it("keeps secretConfig values in their own Secret and gives Connect only ${file:...} references", async () => {
        const cluster = new lib.ConnectCluster("secrets", {
            bootstrapServers: "b:9092",
            connectors: [
                {
                    name: "db-sink",
                    config: { "connector.class": "FileStreamSink", topics: "t" },
                    secretConfig: { "connection.password": pulumi.secret("s3cr3t-value") },
                },
            ],
        });
        const children = await childrenOf(cluster);
        const connector = one(children, "pulumi-nodejs:dynamic/connectcluster:Connector");
        assert.deepEqual(connector.inputs.config, {
            "connection.password": "${file:/etc/kafka-connect-secrets/db-sink.properties:connection.password}",
            "connector.class": "FileStreamSink",
            topics: "t",
        });
        assert.match(connector.inputs.secretsDigest as string, /^[0-9a-f]{64}$/);
        const secrets = children
            .filter((r) => r.type === "kubernetes:core/v1:Secret")
            .sort((a, b) => (a.name < b.name ? -1 : 1));
        assert.deepEqual(
            secrets.map((r) => r.name),
            ["secrets-connector-secrets", "secrets-connectors", "secrets-worker-config"],
        );
        assert.deepEqual(secrets[0].inputs.stringData, {
            "db-sink.properties": "# secretConfig of connector db-sink\nconnection.password=s3cr3t-value\n",
        });
        const deployment = one(children, "kubernetes:apps/v1:Deployment");
        const pod = (
            deployment.inputs.spec as {
                template: { spec: { volumes: unknown[]; containers: { volumeMounts: unknown[] }[] } };
            }
        ).template.spec;
        assert.deepEqual(pod.volumes[3], {
            name: "connector-secrets",
            secret: {
                secretName: "secrets-connector-secrets",
                defaultMode: 0o440,
                items: [{ key: "db-sink.properties", path: "db-sink.properties" }],
            },
        });
        assert.deepEqual(pod.containers[0].volumeMounts[3], {
            name: "connector-secrets",
            mountPath: "/etc/kafka-connect-secrets",
            readOnly: true,
        });
        for (const plainChild of [deployment, connector, secrets[1], secrets[2]]) {
            assert.ok(
                !JSON.stringify(plainChild.inputs).includes("s3cr3t-value"),
                `${plainChild.name} must not hold the secret value`,
            );
        }
        assert.equal(deployment.dependencies.includes(secrets[0].urn), true);
    });
});
