/**
 * The exactly-once guard through the real Pulumi engine (CLI from scripts/setup-engine, a local file backend): the
 * two-step enablement across `up`s as a user runs it. "disabled" → "enabled" fails at preview and at up with the
 * component's message and leaves the state (and what depends on the guard) as it was; "preparing" then "enabled"
 * succeed; going back is one step. A second resource depending on the guard, as the workers' Secret and Deployment
 * do, shows that nothing after the guard changes when it refuses.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { ExactlyOnceGuard } from "../../components/provider/exactlyOnceGuard";
import { createRunDir } from "../integration/harness";
import { inlineStack, prepareEngine } from "./support";

const built = prepareEngine(["cli"]);
const REFUSED = /exactlyOnceSourceSupport: "disabled" → "enabled" on a running cluster is refused/;

/** Stands in for the workers' Secret: a resource that depends on the guard and records the mode it was given. */
const recorder: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { mode: string }) {
        return { id: "recorder", outs: { mode: inputs.mode } };
    },
    async update(_id: string, _olds: unknown, news: { mode: string }) {
        return { outs: { mode: news.mode } };
    },
};

class Recorder extends pulumi.dynamic.Resource {
    declare public readonly mode: pulumi.Output<string>;

    constructor(name: string, mode: string, opts: pulumi.CustomResourceOptions) {
        super(recorder, name, { mode }, opts);
    }
}

describe("the exactly-once guard through the real Pulumi engine", { skip: built.ok ? false : built.reason }, () => {
    let mode = "disabled";
    let stack: Stack;

    before(async () => {
        // Under the repository, so the dynamic provider's process resolves @pulumi/pulumi from node_modules.
        const run = createRunDir("e2e-exactly-once-guard");
        const backend = path.join(run.path, "state");
        fs.mkdirSync(backend);
        const program = async () => {
            const guard = new ExactlyOnceGuard("cluster-exactly-once", { mode });
            const workers = new Recorder("workers", mode, { dependsOn: [guard] });
            return { guardMode: guard.mode, workersMode: workers.mode };
        };
        stack = await inlineStack("connectcluster-eos-guard", program, run.path, backend, "e2e-passphrase");
    });

    after(async () => {
        await stack?.workspace.removeStack("dev", { force: true }).catch(() => undefined);
    });

    const outputs = async () => {
        const out = await stack.outputs();
        return { guard: out.guardMode?.value as string, workers: out.workersMode?.value as string };
    };

    test("a running cluster at disabled refuses enabled, at preview and at up, and changes nothing", async () => {
        const first = await stack.up();
        assert.equal(first.summary.result, "succeeded");
        assert.deepEqual(await outputs(), { guard: "disabled", workers: "disabled" });

        mode = "enabled";
        await assert.rejects(stack.preview(), (error: Error) => REFUSED.test(error.message));
        await assert.rejects(stack.up(), (error: Error) => REFUSED.test(error.message));
        await stack.refresh();
        assert.deepEqual(await outputs(), { guard: "disabled", workers: "disabled" }, "nothing moved");
    });

    test("preparing, then enabled, each in its own up; back to disabled in one", async () => {
        for (const step of ["preparing", "enabled", "disabled"]) {
            mode = step;
            const up = await stack.up();
            assert.equal(up.summary.result, "succeeded", up.stdout);
            assert.deepEqual(await outputs(), { guard: step, workers: step });
        }
    });

    test("a new stack may start at enabled", async () => {
        await stack.destroy();
        mode = "enabled";
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded", up.stdout);
        assert.deepEqual(await outputs(), { guard: "enabled", workers: "enabled" });
        await stack.destroy();
    });
});
