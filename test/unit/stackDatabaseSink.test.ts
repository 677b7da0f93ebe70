/**
 * The example stack with its optional database sink configured (stack.test.ts covers it unset): the Debezium JDBC
 * sink plugin from the configured repository (trusting its CA), a second connector with the password in secretConfig
 * only.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { databaseSinkConfig, mockExampleStack } from "./support/exampleStackMocks";
import { Registration } from "./support/pulumiMocks";

const PASSWORD = "db-password-2f9c41";
const REPOSITORY = "https://maven.internal.example/maven2";
const CA = "-----BEGIN CERTIFICATE-----\nMIIBinternalCA\n-----END CERTIFICATE-----";
const mocked = mockExampleStack(
    { ...databaseSinkConfig(PASSWORD), pluginRepository: REPOSITORY, pluginCaCertificatePem: CA },
    ["jdbcSinkPassword"],
);

type PodSpec = {
    initContainers?: { name: string; command: string[] }[];
    containers: { volumeMounts: { mountPath: string }[] }[];
};

describe("example stack with the database sink configured (stacks/index.ts, mocks)", () => {
    let declared: Registration[];
    let seed: typeof import("../../stacks/seedStack");

    before(async () => {
        ({ seed } = await mocked.load());
        declared = mocked.registrations;
    });

    it("declares the seed's connector and the JDBC sink, with the password as a file reference only", () => {
        const connectors = declared.filter((r) => r.type === "pulumi-nodejs:dynamic/connectcluster:Connector");
        assert.deepEqual(
            connectors.map((c) => c.inputs.name),
            ["local-file-sink", "jdbc-sink"],
        );
        const jdbc = connectors[1];
        assert.deepEqual(jdbc.inputs.config, {
            "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
            "tasks.max": "1",
            topics: "orders",
            "connection.url": "jdbc:postgresql://127.0.0.1:5432/shop",
            "connection.username": "sink",
            "connection.password": "${file:/etc/kafka-connect-secrets/jdbc-sink.properties:connection.password}",
            "insert.mode": "upsert",
            "primary.key.mode": "record_key",
            "primary.key.fields": "id",
            "schema.evolution": "basic",
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "key.converter.schemas.enable": "true",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable": "true",
        });
        for (const connector of connectors) {
            assert.ok(!JSON.stringify(connector.inputs).includes(PASSWORD), `no password in ${connector.name}`);
        }
    });

    it("installs the pinned JDBC sink plugin from pluginRepository (init container); no password in the pod", () => {
        const deployment = declared.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const pod = (deployment.inputs.spec as { template: { spec: PodSpec } }).template.spec;
        assert.deepEqual(
            pod.initContainers?.map((c) => c.name),
            ["install-plugins"],
        );
        const script = pod.initContainers![0].command.join("\n");
        const url =
            `${REPOSITORY}/io/debezium/debezium-connector-jdbc/3.4.3.Final/` +
            "debezium-connector-jdbc-3.4.3.Final-plugin.tar.gz";
        assert.ok(script.includes(url), script);
        assert.ok(script.includes(seed.JDBC_SINK_PLUGIN.sha512), "the pinned checksum");
        assert.ok(!JSON.stringify(deployment.inputs).includes(PASSWORD), "no password in the Deployment");
    });

    it("trusts pluginCaCertificatePem in the init container: from the worker Secret, passed to the script", () => {
        const deployment = declared.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const pod = (deployment.inputs.spec as { template: { spec: PodSpec } }).template.spec;
        assert.equal(pod.initContainers![0].command[5], "/etc/connectcluster-plugin-ca/plugin-ca.pem");
        const worker = declared.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name.endsWith("worker-config"));
        assert.equal((worker!.inputs.stringData as Record<string, string>)["plugin-ca.pem"], `${CA}\n`);
    });

    it("pins the checksum scripts/plugins/artifacts pins for the same coordinates", async () => {
        const { pinnedArtifact } = await import("../integration/harness/mavenRepo");
        const pinned = pinnedArtifact("debezium-connector-jdbc");
        assert.deepEqual(
            { maven: seed.JDBC_SINK_PLUGIN.maven, sha512: seed.JDBC_SINK_PLUGIN.sha512 },
            { maven: pinned.coordinates, sha512: pinned.sha512 },
        );
    });
});
