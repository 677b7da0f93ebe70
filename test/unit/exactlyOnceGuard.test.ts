/**
 * ConnectCluster on mocks: the exactly-once guard it declares, what the workers wait for, and the guard's provider
 * as Pulumi serializes it (a dynamic provider runs from that text, in the provider host, not from this module).
 */
import assert from "node:assert/strict";
import NodeModule from "node:module";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations } from "./support/pulumiMocks";
import { childrenReader, one } from "./support/clusterChildren";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
let lib: typeof import("../../components");
const childrenOf = childrenReader(registrations);
const GUARD = "pulumi-nodejs:dynamic/connectcluster:ExactlyOnceGuard";

describe("ConnectCluster's exactly-once guard (mocks)", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it("holds the resolved mode, default disabled, and the workers' Secret and Deployment wait for it", async () => {
        const children = await childrenOf(new lib.ConnectCluster("plain", { bootstrapServers: "b:9092" }));
        const guard = one(children, GUARD);
        assert.equal(guard.name, "plain-exactly-once");
        assert.equal(guard.inputs.mode, "disabled");
        const workerSecret = children.find((r) => r.name === "plain-worker-config")!;
        assert.ok(workerSecret.dependencies.includes(guard.urn), "the worker Secret depends on the guard");
        assert.ok(one(children, "kubernetes:apps/v1:Deployment").dependencies.includes(guard.urn));

        const enabled = await childrenOf(
            new lib.ConnectCluster("eos", { bootstrapServers: "b:9092", exactlyOnceSourceSupport: "enabled" }),
        );
        assert.equal(one(enabled, GUARD).inputs.mode, "enabled");
    });

    it("serializes a guard provider that refuses disabled → enabled, loaded as the provider host does", async () => {
        const guard = one(await childrenOf(new lib.ConnectCluster("ser", { bootstrapServers: "b:9092" })), GUARD);
        const loaded = new NodeModule("serialized-guard.js");
        loaded.paths = module.paths;
        (loaded as unknown as { _compile(code: string, filename: string): void })._compile(
            guard.inputs.__provider as string,
            "serialized-guard.js",
        );
        const provider = (loaded.exports as { handler(): pulumi.dynamic.ResourceProvider }).handler();
        const refused = await provider.check!({ mode: "disabled" }, { mode: "enabled" });
        assert.equal(refused.failures?.length, 1);
        assert.match(refused.failures![0].reason, /^exactlyOnceSourceSupport: "disabled" → "enabled" on a running/);
        assert.deepEqual(await provider.check!({ mode: "preparing" }, { mode: "enabled" }), {
            inputs: { mode: "enabled" },
        });
    });
});
