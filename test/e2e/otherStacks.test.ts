/**
 * Connectors from another stack, through the real Pulumi engine (local file backend) against 2 real Connect
 * workers from the harness: stack A owns its connector and exports its REST access as a secret output; stack B
 * adds two connectors with a ConnectorSet given that output through a StackReference. A's refresh and preview do
 * not claim B's connectors; destroying B removes only B's; the REST credentials are in no state file in plaintext.
 * (A stands in for a ConnectCluster's stack: it exports what ConnectCluster's `restAccess` output holds.)
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { connectRestAccess, ConnectorSet } from "../../components/cluster/connectorSet";
import type { RestAccess } from "../../components/provider/connectorProvider";
import { createRunDir, useCluster } from "../integration/harness";
import { FILE_SINK, restClient } from "../integration/support";
import { ENGINE_ROOT, engineEnv, pathsContaining, prepareEngine, stateFiles } from "./support";

const PROJECT = "connectcluster-stacks";
const REST_PASSWORD = "e2e-other-stacks-pw-5b21c7";
const built = prepareEngine(["cli"]);

describe("connectors from another stack, through the real engine", { skip: built.ok ? false : built.reason }, () => {
    const cluster = useCluster({ workers: 2, groupId: "stacks", label: "e2e-stacks" });
    let a: Stack;
    let b: Stack;
    let backend: string;
    const sink = (name: string) => ({
        name,
        config: { "connector.class": FILE_SINK, "tasks.max": "1", topics: "stacks-in", file: `/dev/null` },
    });
    const listed = async () => (await restClient(cluster().restUrl(0)).listConnectors()).sort();

    before(async () => {
        await cluster().broker.createTopic({ name: "stacks-in", partitions: 2 });
        const run = createRunDir("e2e-stacks");
        backend = path.join(run.path, "state");
        fs.mkdirSync(backend);
        const pulumiCommand = await PulumiCommand.get({ root: ENGINE_ROOT });
        const programA = async () => {
            const access = connectRestAccess({
                url: cluster().restUrl(0),
                username: "admin",
                password: pulumi.secret(REST_PASSWORD),
            });
            new ConnectorSet("owner", { restAccess: access, connectors: [sink("a-sink")] });
            return { connectRestAccess: access };
        };
        const programB = async () => {
            const ref = new pulumi.StackReference(`organization/${PROJECT}/a`);
            const set = new ConnectorSet("team-b", {
                restAccess: ref.requireOutput("connectRestAccess") as pulumi.Output<RestAccess>,
                connectors: [sink("b-sink-1"), { ...sink("b-sink-2"), state: "paused" }],
                connectorReadyTimeoutSeconds: 120,
            });
            return { states: set.connectorStates };
        };
        const options = (dir: string) => {
            fs.mkdirSync(dir);
            return { workDir: dir, pulumiCommand, envVars: engineEnv(backend, "e2e-stacks-passphrase") };
        };
        a = await LocalWorkspace.createOrSelectStack(
            { projectName: PROJECT, stackName: "a", program: programA },
            options(path.join(run.path, "a")),
        );
        b = await LocalWorkspace.createOrSelectStack(
            { projectName: PROJECT, stackName: "b", program: programB },
            options(path.join(run.path, "b")),
        );
    });

    after(async () => {
        await b?.destroy().catch(() => undefined);
        await a?.destroy().catch(() => undefined);
    });

    test("A creates its connector and exports the REST access as a secret", async () => {
        const up = await a.up();
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.outputs.connectRestAccess.secret, true);
        assert.deepEqual(await listed(), ["a-sink"]);
    });

    test("B adds two connectors through a StackReference to A's output", async () => {
        const up = await b.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(up.outputs.states.value, { "b-sink-1": "RUNNING", "b-sink-2": "PAUSED" });
        assert.deepEqual(await listed(), ["a-sink", "b-sink-1", "b-sink-2"]);
    });

    test("A's refresh and preview do not claim B's connectors", async () => {
        const refresh = await a.refresh();
        assert.deepEqual(refresh.summary.resourceChanges, { same: 3 }, refresh.stdout);
        const preview = await a.preview({ diff: true });
        assert.deepEqual(preview.changeSummary, { same: 3 }, preview.stdout);
        assert.ok(!/b-sink/.test(refresh.stdout + preview.stdout), "A's runs never mention B's connectors");
        const stateA = JSON.stringify((await a.exportStack()).deployment);
        assert.ok(!stateA.includes("b-sink"), "A's state holds none of B's connectors");
    });

    test("no state file holds the REST password in plaintext", () => {
        const files = stateFiles(backend).filter((file) => file.includes(`${path.sep}stacks${path.sep}`));
        assert.ok(files.length >= 2, files.join(", "));
        const encoded = Buffer.from(`admin:${REST_PASSWORD}`).toString("base64");
        for (const file of files) {
            const state = JSON.parse(fs.readFileSync(file, "utf8"));
            assert.deepEqual(pathsContaining(state, REST_PASSWORD), [], `no REST password in ${file}`);
            assert.deepEqual(pathsContaining(state, encoded), [], `no encoded credentials in ${file}`);
        }
    });

    test("destroying B removes only B's connectors", async () => {
        const destroy = await b.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        assert.deepEqual(await listed(), ["a-sink"]);
        const refresh = await a.refresh();
        assert.deepEqual(refresh.summary.resourceChanges, { same: 3 }, refresh.stdout);
    });
});
