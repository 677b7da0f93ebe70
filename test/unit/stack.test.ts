import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, Registration, settle, valueOf } from "./support/pulumiMocks";

// The example stack reads its stack config; give it the dev stack's values, then load it.
const registrations = recordRegistrations("connect-cluster-example");
pulumi.runtime.setAllConfig({
    "connect-cluster-example:bootstrapServers": "localhost:9092",
    "connect-cluster-example:namespace": "kafka-connect-dev",
    "connect-cluster-example:replicas": "2",
    "connect-cluster-example:replicationFactor": "1",
    "connect-cluster-example:kafkaTls": "false",
});

describe("example stack (stacks/index.ts, mocks)", () => {
    let declared: Registration[];
    let stack: typeof import("../../stacks");

    before(async () => {
        stack = await import("../../stacks");
        await valueOf(stack.connectorStates);
        await settle();
        declared = registrations;
    });

    it(
        "declares exactly 3 topics, 2 Secrets (worker config, connectors' reference copy), 1 Deployment, 1 Service, " +
            "1 PDB, 1 connector and 1 salt",
        () => {
            const count = (type: string) => declared.filter((r) => r.type === type).length;
            assert.deepEqual(
                {
                    topics: count("kafka:index/topic:Topic"),
                    secrets: count("kubernetes:core/v1:Secret"),
                    deployments: count("kubernetes:apps/v1:Deployment"),
                    services: count("kubernetes:core/v1:Service"),
                    pdbs: count("kubernetes:policy/v1:PodDisruptionBudget"),
                    connectors: count("pulumi-nodejs:dynamic/connectcluster:Connector"),
                    salts: count("pulumi-nodejs:dynamic/connectcluster:Salt"),
                },
                { topics: 3, secrets: 2, deployments: 1, services: 1, pdbs: 1, connectors: 1, salts: 1 },
            );
        },
    );

    it("reproduces the seed: group local-file-sink, its three topics, the FileStreamSink connector", async () => {
        assert.equal(await valueOf(stack.groupId), "local-file-sink");
        assert.deepEqual(await valueOf(stack.storageTopics), {
            config: "_local_file_sink.config",
            offset: "_local_file_sink.offset",
            status: "_local_file_sink.status",
        });
        const connector = declared.find((r) => r.type === "pulumi-nodejs:dynamic/connectcluster:Connector")!;
        assert.equal(connector.inputs.name, "local-file-sink");
        assert.deepEqual(connector.inputs.config, {
            "connector.class": "FileStreamSink",
            file: "/tmp/test.sink.txt",
            "tasks.max": "1",
            topics: "szcode2.qa.avro.server",
        });
        const topics = declared
            .filter((r) => r.type === "kafka:index/topic:Topic")
            .map((t) => [t.inputs.name, t.inputs.partitions, t.inputs.replicationFactor]);
        assert.deepEqual(topics, [
            ["_local_file_sink.config", 1, 1],
            ["_local_file_sink.offset", 25, 1],
            ["_local_file_sink.status", 5, 1],
        ]);
    });

    it("uses the stack's namespace and replicas, and an explicit Kafka provider for the topics", async () => {
        const deployment = declared.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        assert.equal((deployment.inputs.metadata as { namespace: string }).namespace, "kafka-connect-dev");
        assert.equal((deployment.inputs.spec as { replicas: number }).replicas, 2);
        const provider = declared.find((r) => r.type === "pulumi:providers:kafka")!;
        assert.deepEqual(provider.inputs.bootstrapServers, '["localhost:9092"]');
        assert.equal(await valueOf(stack.serviceUrl), "http://local-file-sink.kafka-connect-dev.svc:8083");
    });

    it("without jdbcSinkUrl: no plugin, no init container, the seed's connector only", () => {
        const deployment = declared.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const pod = (deployment.inputs.spec as { template: { spec: Record<string, unknown> } }).template.spec;
        assert.equal(pod.initContainers, undefined);
    });
});
