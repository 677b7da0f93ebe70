/** ConnectCluster on mocks: its children, their names and order, connector inputs, network policy, outputs. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, Registration, valueOf } from "./support/pulumiMocks";
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

    it("annotates every Kubernetes object with pulumi.com/skipAwait only when skipAwait is set", async () => {
        const kubernetesObjects = (children: Registration[]) =>
            children.filter((r) => r.type.startsWith("kubernetes:"));
        const skipping = kubernetesObjects(
            await childrenOf(new lib.ConnectCluster("no-await", { bootstrapServers: "b:9092", skipAwait: true })),
        );
        assert.equal(skipping.length, 5);
        // The Deployment also carries the rollout's timeout (rolloutTimeoutSeconds), whatever skipAwait says.
        const timeout = (object: Registration) =>
            object.type === "kubernetes:apps/v1:Deployment" ? { "pulumi.com/timeoutSeconds": "600" } : {};
        for (const object of skipping) {
            assert.deepEqual(
                (object.inputs.metadata as { annotations?: unknown }).annotations,
                { "pulumi.com/skipAwait": "true", ...timeout(object) },
                object.name,
            );
        }
        const awaiting = kubernetesObjects(
            await childrenOf(new lib.ConnectCluster("await", { bootstrapServers: "b:9092" })),
        );
        for (const object of awaiting) {
            const annotations = (object.inputs.metadata as { annotations?: Record<string, string> }).annotations;
            assert.deepEqual(Object.keys(timeout(object)).length === 0 ? undefined : timeout(object), annotations);
        }
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
