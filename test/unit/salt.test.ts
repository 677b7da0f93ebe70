import assert from "node:assert/strict";
import NodeModule from "node:module";
import { before, describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, settle, valueOf } from "./support/pulumiMocks";

// Mocks first, then the code under test.
const registrations = recordRegistrations();
let saltModule: typeof import("../../components/provider/salt");
let saltProvider: typeof import("../../components/provider/saltProvider").saltProvider;

describe("Salt", () => {
    before(async () => {
        saltModule = await import("../../components/provider/salt");
        saltProvider = (await import("../../components/provider/saltProvider")).saltProvider;
    });

    it("creates 32 random bytes, new for every salt, with an ID that tells nothing about them", async () => {
        const first = await saltProvider.create({});
        const second = await saltProvider.create({});
        assert.match(first.outs!.value, /^[0-9a-f]{64}$/);
        assert.notEqual(second.outs!.value, first.outs!.value);
        // A random UUID: shown in previews and logs, so it is not derived from the value.
        assert.match(first.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("never changes once created: no diff, and an update keeps the value", async () => {
        const olds = { value: "a".repeat(64) };
        assert.deepEqual(await saltProvider.diff!("id", olds, {}), { changes: false });
        assert.deepEqual(await saltProvider.update!("id", olds, {}), { outs: olds });
    });

    it("is registered with its value as a secret output, and its serialized provider works", async () => {
        const salt = new saltModule.Salt("s");
        await valueOf(salt.urn);
        await settle();
        const registered = registrations.filter((r) => r.name === "s");
        assert.deepEqual(
            registered.map((r) => [r.type, r.additionalSecretOutputs]),
            [["pulumi-nodejs:dynamic/connectcluster:Salt", ["value"]]],
        );
        // What @pulumi/pulumi's dynamic provider host does with the serialized text: require it from a string.
        const loaded = new NodeModule("serialized-salt-provider.js");
        loaded.paths = module.paths;
        (loaded as unknown as { _compile(code: string, filename: string): void })._compile(
            registered[0].inputs.__provider as string,
            "serialized-salt-provider.js",
        );
        const provider = (loaded.exports as { handler(): pulumi.dynamic.ResourceProvider }).handler();
        assert.match(((await provider.create({})).outs as { value: string }).value, /^[0-9a-f]{64}$/);
    });
});
