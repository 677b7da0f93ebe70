/**
 * The example stack's `jdbcSinkPluginSha512` key (stackDatabaseSink.test.ts covers it unset): the install script
 * checks the configured SHA-512 instead of the pinned one.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, Registration, settle, valueOf } from "./support/pulumiMocks";

const SHA512 = "ab".repeat(64);
const registrations = recordRegistrations("connect-cluster-example");
pulumi.runtime.setAllConfig(
    {
        "connect-cluster-example:bootstrapServers": "localhost:9092",
        "connect-cluster-example:replicationFactor": "1",
        "connect-cluster-example:kafkaTls": "false",
        "connect-cluster-example:jdbcSinkUrl": "jdbc:postgresql://127.0.0.1:5432/shop",
        "connect-cluster-example:jdbcSinkUser": "sink",
        "connect-cluster-example:jdbcSinkPassword": "db-password-7a1e",
        "connect-cluster-example:jdbcSinkPluginSha512": SHA512,
    },
    ["connect-cluster-example:jdbcSinkPassword"],
);

describe("example stack with jdbcSinkPluginSha512 set (stacks/index.ts, mocks)", () => {
    let declared: Registration[];
    let seed: typeof import("../../stacks/seedStack");

    before(async () => {
        const stack = await import("../../stacks");
        seed = await import("../../stacks/seedStack");
        await valueOf(stack.connectorStates);
        await settle();
        declared = registrations;
    });

    it("the install-plugins init container checks the configured SHA-512, not the pinned one", () => {
        const deployments = declared.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
        assert.equal(deployments.length, 1);
        const pod = (deployments[0].inputs.spec as { template: { spec: { initContainers?: { command: string[] }[] } } })
            .template.spec;
        const script = pod.initContainers![0].command.join("\n");
        assert.ok(script.includes(SHA512), "the configured checksum");
        assert.ok(!script.includes(seed.JDBC_SINK_PLUGIN.sha512), "not the pinned one");
    });
});
