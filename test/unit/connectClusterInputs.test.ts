/** ConnectCluster on mocks: inputs rejected when Outputs resolve, and plugins. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, settle, valueOf } from "./support/pulumiMocks";
import { collectUnhandledRejections } from "./support/unhandledRejections";
import { childrenReader, one } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
type Module = typeof import("../../components");
let lib: Module;
const childrenOf = childrenReader(registrations);

describe("ConnectCluster inputs known late (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    // Plain bad inputs, rejected before any child is declared: the catalogue, badInputs.test.ts.

    const REJECTED_WHEN_RESOLVED: readonly {
        name: string;
        args: Partial<import("../../components").ConnectClusterArgs>;
        field: string;
        message: string;
    }[] = [
        {
            name: "a config topic with 2 partitions from an output",
            args: { storageTopics: { config: { partitions: pulumi.output(2) } } },
            field: "storageTopics.config.partitions",
            message:
                "storageTopics.config.partitions must be 1 (got 2): Kafka Connect requires a single-partition config " +
                "topic to keep connector configs in order.",
        },
        {
            name: "negative replicas from an output",
            args: { replicas: pulumi.output(-1) },
            field: "replicas",
            message: "replicas must be a whole number ≥ 0 (got -1).",
        },
        {
            name: "a connector config from an output with tasks.max 0",
            args: {
                connectors: [
                    { name: "c", config: pulumi.output({ "connector.class": "FileStreamSink", "tasks.max": "0" }) },
                ],
            },
            field: 'connectors["c"].config["tasks.max"]',
            message: 'connectors["c"].config["tasks.max"] must be a whole number ≥ 1 (got "0").',
        },
        {
            name: "SASL without credentials from an output",
            args: { kafkaSecurity: { protocol: pulumi.output("SASL_SSL" as const) } },
            field: "kafkaSecurity.sasl",
            message: "kafkaSecurity.sasl is required with protocol SASL_SSL: give mechanism, username and password.",
        },
    ];
    for (const { name: label, args, field, message } of REJECTED_WHEN_RESOLVED) {
        it(`rejects ${label}, and declares no child at all`, async () => {
            // Each child's registration fails with the same error; a real `pulumi up` reports them and stops.
            const registrationErrors = await collectUnhandledRejections(async () => {
                const cluster = new lib.ConnectCluster(`late-${registrations.length}`, {
                    bootstrapServers: "b:9092",
                    ...args,
                });
                await assert.rejects(valueOf(cluster.groupId), {
                    name: "ConnectClusterError",
                    kind: "invalid-input",
                    field,
                    message,
                });
                await settle();
                return cluster;
            });
            const cluster = registrationErrors.result;
            assert.ok(
                registrationErrors.errors.length > 0 && registrationErrors.errors.every((e) => e === message),
                registrationErrors.errors.join("\n"),
            );
            const urn = await valueOf(cluster.urn);
            assert.deepEqual(
                registrations.filter((r) => r.parent === urn).map((r) => r.type),
                [],
            );
        });
    }
});

describe("ConnectCluster plugins (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });
    const debezium = {
        name: "debezium-jdbc",
        artifacts: [
            { maven: "io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz", sha512: "ab".repeat(64) },
        ],
    };

    it("installs plugins with an init container in the Deployment, declaring no other child", async () => {
        const cluster = new lib.ConnectCluster("plug", { bootstrapServers: "b:9092", plugins: [debezium] });
        const children = await childrenOf(cluster);
        assert.deepEqual(children.map((r) => `${r.type} ${r.name}`).sort(), [
            "kafka:index/topic:Topic plug-config-topic",
            "kafka:index/topic:Topic plug-offset-topic",
            "kafka:index/topic:Topic plug-status-topic",
            "kubernetes:apps/v1:Deployment plug-workers",
            "kubernetes:core/v1:Secret plug-worker-config",
            "kubernetes:core/v1:Service plug-rest",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy plug-rest-policy",
            "kubernetes:policy/v1:PodDisruptionBudget plug-pdb",
            "pulumi-nodejs:dynamic/connectcluster:ExactlyOnceGuard plug-exactly-once",
            "pulumi-nodejs:dynamic/connectcluster:Salt plug-config-checksum-salt",
            "pulumi-nodejs:dynamic/connectcluster:UnmanagedConnectors plug-unmanaged-connectors",
        ]);
        const spec = one(children, "kubernetes:apps/v1:Deployment").inputs.spec as {
            template: { spec: { initContainers: { name: string; image: string; command: string[] }[] } };
        };
        const init = spec.template.spec.initContainers;
        assert.deepEqual(
            init.map((c) => [c.name, c.image]),
            [["install-plugins", "curlimages/curl:8.17.0"]],
        );
        assert.equal(init[0].command[6], "/opt/connectcluster/plugin-path");
        assert.match(
            init[0].command[7],
            /\n {4}fetch 'debezium-jdbc' 'debezium-connector-jdbc-3\.4\.3\.Final-plugin\.tar\.gz' /,
        );
        const properties = await valueOf(cluster.workerProperties);
        assert.match(properties, /\nplugin\.path=\/opt\/kafka\/plugins,\/opt\/connectcluster\/plugin-path\n/);
    });

    it("rejects a plugin without a checksum before declaring anything, even when other inputs are outputs", () => {
        const before = registrations.length;
        assert.throws(
            () =>
                new lib.ConnectCluster("plug-late", {
                    bootstrapServers: pulumi.output("b:9092"),
                    plugins: [
                        { name: "jdbc", artifacts: [{ maven: "io.debezium:debezium-connector-jdbc:3.4.3.Final" }] },
                    ],
                }),
            {
                message:
                    "plugins[0].artifacts[0].sha512 is required: the SHA-512 of the file (128 hex characters), " +
                    "checked before it is unpacked; get it with `scripts/plugin-checksum " +
                    "<group:artifact:version[:classifier[:type]] or URL>` (or `curl -fsSL <url> | sha512sum`).",
            },
        );
        assert.equal(registrations.length, before);
    });
});
