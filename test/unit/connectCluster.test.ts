/** ConnectCluster on mocks: the children it declares, their names, inputs, order and outputs. */
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { MOCK_SALT, recordRegistrations, Registration, valueOf } from "./support/pulumiMocks";
import { childrenReader, one, seedConnector } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;
const childrenOf = childrenReader(registrations);

describe("ConnectCluster (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it("declares 3 topics, Secrets, Deployment, Service, PDB, salt, exactly-once guard, connectors", async () => {
        const cluster = new lib.ConnectCluster("seed", {
            bootstrapServers: "b:9092",
            groupId: "local-file-sink",
            connectors: [seedConnector],
        });
        const children = await childrenOf(cluster);
        assert.deepEqual(children.map((r) => `${r.type} ${r.name}`).sort(), [
            "kafka:index/topic:Topic seed-config-topic",
            "kafka:index/topic:Topic seed-offset-topic",
            "kafka:index/topic:Topic seed-status-topic",
            "kubernetes:apps/v1:Deployment seed-workers",
            "kubernetes:core/v1:Secret seed-connectors",
            "kubernetes:core/v1:Secret seed-worker-config",
            "kubernetes:core/v1:Service seed-rest",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy seed-rest-policy",
            "kubernetes:policy/v1:PodDisruptionBudget seed-pdb",
            "pulumi-nodejs:dynamic/connectcluster:Connector seed-local-file-sink",
            "pulumi-nodejs:dynamic/connectcluster:ExactlyOnceGuard seed-exactly-once",
            "pulumi-nodejs:dynamic/connectcluster:Salt seed-config-checksum-salt",
            "pulumi-nodejs:dynamic/connectcluster:UnmanagedConnectors seed-unmanaged-connectors",
        ]);
    });

    it("names every child, optional ones too, after the component (names are state)", async () => {
        const cluster = new lib.ConnectCluster("every", {
            bootstrapServers: "b:9092",
            replicas: 1,
            restAuth: { users: { admin: pulumi.secret("pw") } },
            restTls: { keystorePkcs12Base64: "AAAA", keystorePassword: pulumi.secret("kp") },
            restAccess: { url: "https://connect.example:8083" },
            connectors: [{ ...seedConnector, secretConfig: { token: pulumi.secret("t") } }],
        });
        const children = await childrenOf(cluster);
        assert.deepEqual(children.map((r) => `${r.type} ${r.name}`).sort(), [
            "kafka:index/topic:Topic every-config-topic",
            "kafka:index/topic:Topic every-offset-topic",
            "kafka:index/topic:Topic every-status-topic",
            "kubernetes:apps/v1:Deployment every-workers",
            "kubernetes:core/v1:Secret every-connector-secrets",
            "kubernetes:core/v1:Secret every-connectors",
            "kubernetes:core/v1:Secret every-rest-auth",
            "kubernetes:core/v1:Secret every-rest-tls",
            "kubernetes:core/v1:Secret every-worker-config",
            "kubernetes:core/v1:Service every-rest",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy every-rest-policy",
            "kubernetes:policy/v1:PodDisruptionBudget every-pdb",
            "pulumi-nodejs:dynamic/connectcluster:Connector every-local-file-sink",
            "pulumi-nodejs:dynamic/connectcluster:ExactlyOnceGuard every-exactly-once",
            "pulumi-nodejs:dynamic/connectcluster:Salt every-config-checksum-salt",
            "pulumi-nodejs:dynamic/connectcluster:UnmanagedConnectors every-unmanaged-connectors",
        ]);
        assert.deepEqual(
            children
                .filter((r) => r.type === "kubernetes:core/v1:Secret")
                .map((r) => (r.inputs.metadata as { name: string }).name)
                .sort(),
            ["every-connector-secrets", "every-connectors", "every-rest-auth", "every-rest-tls", "every-worker-config"],
        );
    });

    it("declares compacted storage topics with the seed's names, retained on delete by default", async () => {
        const cluster = new lib.ConnectCluster("topics", { bootstrapServers: "b:9092", groupId: "local-file-sink" });
        const topics = (await childrenOf(cluster)).filter((r) => r.type === "kafka:index/topic:Topic");
        assert.deepEqual(
            topics.map((t) => [t.inputs, t.retainOnDelete]),
            [
                [
                    {
                        name: "_local_file_sink.config",
                        partitions: 1,
                        replicationFactor: 3,
                        config: { "cleanup.policy": "compact" },
                    },
                    true,
                ],
                [
                    {
                        name: "_local_file_sink.offset",
                        partitions: 25,
                        replicationFactor: 3,
                        config: { "cleanup.policy": "compact" },
                    },
                    true,
                ],
                [
                    {
                        name: "_local_file_sink.status",
                        partitions: 5,
                        replicationFactor: 3,
                        config: { "cleanup.policy": "compact" },
                    },
                    true,
                ],
            ],
        );
        const optedOut = new lib.ConnectCluster("topics-deletable", {
            bootstrapServers: "b:9092",
            retainStorageTopicsOnDelete: false,
        });
        const deletable = (await childrenOf(optedOut)).filter((r) => r.type === "kafka:index/topic:Topic");
        assert.deepEqual(
            deletable.map((t) => t.retainOnDelete),
            [false, false, false],
        );
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

    it(
        "starts the Deployment after the topics, the Secret, the checksum's salt and the exactly-once guard, and the " +
            "connector after the Deployment and Service",
        async () => {
            const cluster = new lib.ConnectCluster("order", {
                bootstrapServers: "b:9092",
                connectors: [seedConnector],
            });
            const children = await childrenOf(cluster);
            const urnsOf = (type: string) => children.filter((r) => r.type === type).map((r) => r.urn);
            const deployment = one(children, "kubernetes:apps/v1:Deployment");
            assert.deepEqual(
                deployment.dependencies.sort(),
                [
                    ...urnsOf("kafka:index/topic:Topic"),
                    ...urnsOf("kubernetes:core/v1:Secret"),
                    ...urnsOf("pulumi-nodejs:dynamic/connectcluster:Salt"),
                    ...urnsOf("pulumi-nodejs:dynamic/connectcluster:ExactlyOnceGuard"),
                ].sort(),
            );
            const connector = one(children, "pulumi-nodejs:dynamic/connectcluster:Connector");
            assert.deepEqual(
                connector.dependencies.sort(),
                [deployment.urn, ...urnsOf("kubernetes:core/v1:Service")].sort(),
            );
        },
    );

    it("reaches the REST API through the Kubernetes service proxy by default", async () => {
        const cluster = new lib.ConnectCluster("proxy", {
            bootstrapServers: "b:9092",
            namespace: "kc",
            connectors: [seedConnector],
        });
        const connector = one(await childrenOf(cluster), "pulumi-nodejs:dynamic/connectcluster:Connector");
        assert.deepEqual(connector.inputs.access, {
            kubernetesServiceProxy: { namespace: "kc", service: "proxy", port: "rest" },
        });
    });

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

    it(
        "declares a rename as the same resource under an alias, carrying the offsets choice to the " + "provider",
        async () => {
            const cluster = new lib.ConnectCluster("rename", {
                bootstrapServers: "b:9092",
                connectors: [
                    {
                        name: "orders-v2",
                        previousName: "orders",
                        onRename: "copy-offsets",
                        deleteOffsetsOnDelete: true,
                        config: seedConnector.config,
                    },
                ],
            });
            const connector = one(await childrenOf(cluster), "pulumi-nodejs:dynamic/connectcluster:Connector");
            assert.equal(connector.name, "rename-orders-v2");
            assert.deepEqual(connector.inputs.rename, { from: "orders", mode: "copy-offsets" });
            assert.equal(connector.inputs.deleteOffsetsOnDelete, true);
        },
    );

    it("passes each connector's declared state to the provider, running when not declared", async () => {
        const cluster = new lib.ConnectCluster("states", {
            bootstrapServers: "b:9092",
            connectors: [
                { name: "paused-sink", state: "paused", config: seedConnector.config },
                { name: "default-sink", config: seedConnector.config },
            ],
        });
        const connectors = (await childrenOf(cluster)).filter(
            (child) => child.type === "pulumi-nodejs:dynamic/connectcluster:Connector",
        );
        assert.deepEqual(
            connectors.map((connector) => [connector.name, connector.inputs.state]),
            [
                ["states-paused-sink", "paused"],
                ["states-default-sink", "running"],
            ],
        );
    });

    it("lets only the workers and restAllowedFrom reach the REST port, unless networkPolicy is false", async () => {
        const cluster = new lib.ConnectCluster("netpol", {
            bootstrapServers: "b:9092",
            restAllowedFrom: [{ namespaceSelector: { matchLabels: { team: "data" } } }],
        });
        const policy = one(await childrenOf(cluster), "kubernetes:networking.k8s.io/v1:NetworkPolicy");
        const selector = { "app.kubernetes.io/name": "kafka-connect", "app.kubernetes.io/instance": "netpol" };
        assert.deepEqual(policy.inputs.spec, {
            podSelector: { matchLabels: selector },
            policyTypes: ["Ingress"],
            ingress: [
                {
                    ports: [{ port: "rest", protocol: "TCP" }],
                    from: [
                        { podSelector: { matchLabels: selector } },
                        { namespaceSelector: { matchLabels: { team: "data" } } },
                    ],
                },
            ],
        });
        const open = new lib.ConnectCluster("netpol-off", { bootstrapServers: "b:9092", networkPolicy: false });
        assert.equal(
            (await childrenOf(open)).filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").length,
            0,
        );
    });

    it(
        "adopts existing storage topics by importing them under their names when " + "adoptStorageTopics is set",
        async () => {
            const topicsOf = async (cluster: pulumi.ComponentResource) =>
                (await childrenOf(cluster)).filter((r) => r.type === "kafka:index/topic:Topic");
            const adopting = await topicsOf(
                new lib.ConnectCluster("adopt", {
                    bootstrapServers: pulumi.output("b:9092"),
                    groupId: "local-file-sink",
                    storageTopics: { status: { name: "my-status" } },
                    adoptStorageTopics: true,
                }),
            );
            assert.deepEqual(
                adopting.map((t) => t.importId),
                ["_local_file_sink.config", "_local_file_sink.offset", "my-status"],
            );
            assert.deepEqual(
                (await topicsOf(new lib.ConnectCluster("create", { bootstrapServers: "b:9092" }))).map(
                    (t) => t.importId,
                ),
                ["", "", ""],
            );
            // Only the names must be plain: other topic settings may be Outputs.
            const withOutputConfig = await topicsOf(
                new lib.ConnectCluster("adopt-cfg", {
                    bootstrapServers: "b:9092",
                    groupId: "g",
                    storageTopics: { offset: { config: pulumi.output({ "min.insync.replicas": "2" }) } },
                    adoptStorageTopics: true,
                }),
            );
            assert.deepEqual(withOutputConfig.map((t) => t.importId).sort(), ["_g.config", "_g.offset", "_g.status"]);
            assert.throws(
                () =>
                    new lib.ConnectCluster("adopt-unknown", {
                        bootstrapServers: "b:9092",
                        groupId: pulumi.output("g"),
                        adoptStorageTopics: true,
                    }),
                /adoptStorageTopics: the storage topic names must be known when the program runs/,
            );
        },
    );

    it("annotates every Kubernetes object with pulumi.com/skipAwait only when skipAwait is set", async () => {
        const kubernetesObjects = (children: Registration[]) =>
            children.filter((r) => r.type.startsWith("kubernetes:"));
        const skipping = kubernetesObjects(
            await childrenOf(new lib.ConnectCluster("no-await", { bootstrapServers: "b:9092", skipAwait: true })),
        );
        assert.equal(skipping.length, 5);
        for (const object of skipping) {
            assert.deepEqual(
                (object.inputs.metadata as { annotations?: unknown }).annotations,
                { "pulumi.com/skipAwait": "true" },
                object.name,
            );
        }
        const awaiting = kubernetesObjects(
            await childrenOf(new lib.ConnectCluster("await", { bootstrapServers: "b:9092" })),
        );
        assert.ok(
            awaiting.every((object) => (object.inputs.metadata as { annotations?: unknown }).annotations === undefined),
        );
    });

    it("exposes typed outputs", async () => {
        const cluster = new lib.ConnectCluster("outputs", {
            bootstrapServers: "b:9092",
            groupId: "local-file-sink",
            namespace: "kc",
            connectors: [seedConnector],
        });
        await childrenOf(cluster);
        assert.equal(await valueOf(cluster.groupId), "local-file-sink");
        assert.deepEqual(await valueOf(cluster.storageTopicNames), {
            config: "_local_file_sink.config",
            offset: "_local_file_sink.offset",
            status: "_local_file_sink.status",
        });
        assert.equal(await valueOf(cluster.secretName), "outputs-worker-config");
        assert.equal(await valueOf(cluster.deploymentName), "outputs");
        assert.equal(await valueOf(cluster.serviceName), "outputs");
        assert.equal(await valueOf(cluster.serviceUrl), "http://outputs.kc.svc:8083");
        assert.deepEqual(await valueOf(cluster.connectorNames), ["local-file-sink"]);
        assert.deepEqual(await valueOf(cluster.connectorStates), { "local-file-sink": "RUNNING" });
    });
});
