/**
 * The policy pack's checks (policy/rules.ts) on plain properties: what each flags and what it leaves alone,
 * including values unknown at preview. test/e2e/policyPack.test.ts runs them through the engine.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as rules from "../../policy/rules";

const connectDeployment = (spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
    metadata: { name: "workers", namespace: "connect" },
    spec: {
        replicas: 2,
        template: {
            metadata: { labels: { app: "connect", tier: "workers" } },
            spec: {
                containers: [
                    {
                        name: "connect",
                        command: ["/opt/kafka/bin/connect-distributed.sh", "/etc/connect/distributed.properties"],
                        resources: { limits: { memory: "1536Mi" } },
                        ...container,
                    },
                ],
            },
        },
        ...spec,
    },
});

describe("policy rules", () => {
    test("storageRole: ConnectCluster's topics by resource name, others by Connect's naming habits", () => {
        const cases: [string, unknown, rules.StorageRole | undefined][] = [
            ["sink-config-topic", "anything", "config"],
            ["sink-offset-topic", undefined, "offset"],
            ["t", "connect-configs", "config"],
            ["t", "connect-offsets", "offset"],
            ["t", "connect-status", "status"],
            ["t", "_group.config", "config"],
            ["t", "orders_statuses", "status"],
            ["t", "orders", undefined],
            ["t", "configuration", undefined],
            ["t", undefined, undefined],
        ];
        for (const [resource, topic, role] of cases) {
            assert.equal(rules.storageRole(resource, topic), role, `${resource} ${String(topic)}`);
        }
    });

    test("topic rules flag only storage topics, and only known values", () => {
        const bad = {
            name: "connect-configs",
            partitions: 3,
            replicationFactor: 1,
            config: { "cleanup.policy": "delete" },
        };
        assert.equal(rules.configTopicPartitions("config", bad).length, 1);
        assert.deepEqual(rules.configTopicPartitions("offset", bad), [], "offset topics have many partitions");
        assert.deepEqual(rules.configTopicPartitions(undefined, bad), []);
        assert.deepEqual(rules.configTopicPartitions("config", { ...bad, partitions: undefined }), []);
        assert.deepEqual(rules.storageTopicCompacted("offset", bad), [
            'Connect offset storage topic "connect-configs" has cleanup.policy "delete": set it to "compact", or ' +
                "connector configs and offsets are deleted with old log segments.",
        ]);
        assert.match(rules.storageTopicCompacted("status", { ...bad, config: {} })[0], /unset \(the broker's default/);
        assert.deepEqual(
            rules.storageTopicCompacted("status", { ...bad, config: { "cleanup.policy": "compact" } }),
            [],
        );
        assert.deepEqual(rules.storageTopicCompacted(undefined, bad), []);
        assert.equal(rules.storageTopicReplication("status", bad, 3).length, 1);
        assert.deepEqual(rules.storageTopicReplication("status", { ...bad, replicationFactor: 3 }, 3), []);
    });

    test("Deployment rules apply only to Connect workers", () => {
        const other = { spec: { template: { spec: { containers: [{ name: "web", command: ["nginx"] }] } } } };
        assert.equal(rules.isConnectDeployment(other), false);
        assert.equal(rules.isConnectDeployment(connectDeployment()), true);
        for (const check of [
            () => rules.workerReplicas(other, 2),
            () => rules.workerLimits(other),
            () => rules.pluginChecksums({ ...other }),
            () => rules.restNetworkPolicy(other, []),
        ]) {
            assert.deepEqual(check(), []);
        }
    });

    test("workerReplicas: unset is Kubernetes' 1", () => {
        assert.deepEqual(rules.workerReplicas(connectDeployment(), 2), []);
        assert.equal(rules.workerReplicas(connectDeployment({ replicas: 1 }), 2).length, 1);
        assert.match(rules.workerReplicas(connectDeployment({ replicas: undefined }), 2)[0], /has 1 replica\(s\)/);
    });

    test("workerLimits: a memory limit on every container", () => {
        assert.deepEqual(rules.workerLimits(connectDeployment()), []);
        assert.deepEqual(rules.workerLimits(connectDeployment({}, { resources: { limits: { cpu: "1" } } })), [
            'Kafka Connect Deployment "workers" container "connect" has no memory limit: set ' +
                "resources.limits.memory (and a heap that fits in it).",
        ]);
    });

    test("pluginChecksums: downloads without a checksum check", () => {
        const withInit = (command: string[]) => {
            const deployment = connectDeployment();
            return {
                ...deployment,
                spec: {
                    ...deployment.spec,
                    template: {
                        ...deployment.spec.template,
                        spec: { ...deployment.spec.template.spec, initContainers: [{ name: "plugins", command }] },
                    },
                },
            };
        };
        assert.equal(rules.pluginChecksums(withInit(["sh", "-c", "curl -o p.tgz https://x/p.tgz"])).length, 1);
        assert.equal(rules.pluginChecksums(withInit(["confluent-hub", "install", "a/b:1"])).length, 1);
        assert.deepEqual(rules.pluginChecksums(withInit(["sh", "-c", "curl -o p.tgz $U && sha512sum -c p.sha"])), []);
        assert.deepEqual(rules.pluginChecksums(withInit(["sh", "-c", "cp /plugins/* /opt/plugins"])), []);
    });

    test("connectorSecrets: literal credentials in config; references and other keys pass", () => {
        assert.deepEqual(
            rules.connectorSecrets("sink", {
                "connection.password": "hunter2",
                "aws.secret.access.key": "abc",
                "sasl.jaas.config": "org.apache.kafka...PlainLoginModule required;",
                "connection.user": "app",
                "ssl.truststore.password": "${file:/etc/kafka-connect-secrets/sink.properties:ssl.truststore.password}",
                "tasks.max": "1",
            }),
            ["aws.secret.access.key", "connection.password", "sasl.jaas.config"].map(
                (key) =>
                    `Connector "sink" has "${key}" in plain config: move it to secretConfig, which keeps it out of ` +
                    "Connect's REST API, the stack state and the preview.",
            ),
        );
        assert.deepEqual(rules.connectorSecrets("sink", undefined), []);
    });

    test("restNetworkPolicy: a NetworkPolicy in the namespace whose selector matches the pods", () => {
        const deployment = connectDeployment();
        const policy = (namespace: string, matchLabels: Record<string, string>) => ({
            metadata: { namespace },
            spec: { podSelector: { matchLabels } },
        });
        assert.deepEqual(rules.restNetworkPolicy(deployment, [policy("connect", { app: "connect" })]), []);
        assert.equal(rules.restNetworkPolicy(deployment, [policy("other", { app: "connect" })]).length, 1);
        assert.equal(rules.restNetworkPolicy(deployment, [policy("connect", { app: "web" })]).length, 1);
        assert.equal(rules.restNetworkPolicy(deployment, []).length, 1);
    });
});
