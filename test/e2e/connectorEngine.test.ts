/**
 * The connector resource through the real Pulumi engine (CLI built by scripts/setup-engine, a local
 * file backend, the passphrase secrets provider) against real Connect workers from the harness:
 * preview, up, a second up without changes, a one-key change, drift seen by refresh and undone by up, a
 * declared pause (and a hand-made resume seen as drift and undone),
 * the REST access moved to another URL (the old one then stopped) and the delete policy turned on, destroy,
 * and no plaintext secret (REST credentials, a connector's secretConfig value) in the state file or the
 * preview output.
 * It does not cover the Kubernetes and Kafka parts of ConnectCluster: their providers and an API
 * server are not built here yet (see README, What is missing).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { EngineEvent, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { Connector } from "../../components/provider/connector";
import { prepareConnectors } from "../../components/cluster/connectorInputs";
import { renderConnectorSecretsData } from "../../components/render/workload";
import { createRunDir, useCluster } from "../integration/harness";
import { FILE_SINK, restClient } from "../integration/support";
import { CountingProxy } from "../../bench/countingProxy";
import { LocalService } from "./fixtures/localService";
import { ENGINE_ROOT, engineEnv, pathsContaining, prepareEngine, stateFiles } from "./support";

const REST_PASSWORD = "e2e-rest-pw-7c1d93";
const CONNECTOR_SECRET = "e2e-connector-token-41f0aa";
const built = prepareEngine(["cli"]);

describe("a connector through the real Pulumi engine", { skip: built.ok ? false : built.reason }, () => {
    const cluster = useCluster({ workers: 2, groupId: "e2e", label: "e2e" });
    let desired: Record<string, string>;
    let stack: Stack;
    let backend: string;
    /** Where the e2e-sink reaches the REST API: first a proxy to worker 1, later another to worker 0. */
    let sinkUrl: string;
    let sinkDeletesOffsets: boolean | undefined;
    /** The e2e-sink's declared state (undefined: the default, running). */
    let sinkState: "running" | "paused" | "stopped" | undefined;
    const proxies: { readonly service: LocalService; connections: number }[] = [];
    /** HTTP proxies counting requests by route, behind some of the TCP proxies. */
    const counters: CountingProxy[] = [];
    /** A loopback TCP proxy to one worker (or to a URL) that counts the connections it forwards. */
    const proxyTo = async (worker: number | (() => string)) => {
        const target = typeof worker === "number" ? () => cluster().restUrl(worker) : worker;
        const proxy = { service: undefined as unknown as LocalService, connections: 0 };
        proxy.service = await LocalService.start(() => (proxy.connections++, [target()]));
        proxies.push(proxy);
        return proxy;
    };

    before(async () => {
        await cluster().broker.createTopic({ name: "e2e-in", partitions: 2 });
        for (const [file, text] of Object.entries(
            renderConnectorSecretsData([
                { name: "e2e-secret-sink", secretConfig: { "unused.api.token": CONNECTOR_SECRET } },
            ]),
        )) {
            fs.writeFileSync(path.join(cluster().connectorSecretsDir, file), text);
        }
        desired = {
            "connector.class": FILE_SINK,
            "tasks.max": "1",
            topics: "e2e-in",
            file: `${cluster().runDir}/e2e.txt`,
        };
        // Under the repository, so the dynamic provider's process resolves @pulumi/pulumi from node_modules.
        const run = createRunDir("e2e-engine");
        backend = path.join(run.path, "state");
        fs.mkdirSync(backend);
        sinkUrl = (await proxyTo(1)).service.url;
        const pulumiCommand = await PulumiCommand.get({ root: ENGINE_ROOT });
        const program = async () => {
            const basic = pulumi.secret(`Basic ${Buffer.from(`admin:${REST_PASSWORD}`).toString("base64")}`);
            const connector = new Connector("e2e-sink", {
                name: "e2e-sink",
                config: { ...desired },
                deleteOffsetsOnDelete: sinkDeletesOffsets,
                state: sinkState,
                access: basic.apply((authorization) => ({
                    url: { baseUrl: sinkUrl, headers: { Authorization: authorization } },
                })),
                readyTimeoutMs: 90_000,
            });
            // The component's own connector preparation: the secret value stays in the (here: locally
            // written) secrets file; the resource gets a ${file:...} reference and a secret digest.
            const [prepared] = prepareConnectors(
                [
                    {
                        name: "e2e-secret-sink",
                        config: { "connector.class": FILE_SINK, topics: "e2e-in", file: "/dev/null" },
                        secretConfig: { "unused.api.token": pulumi.secret(CONNECTOR_SECRET) },
                    },
                ],
                cluster().connectorSecretsDir,
            );
            const withSecret = new Connector("e2e-secret-sink", {
                name: prepared.name,
                config: prepared.config,
                secretsDigest: prepared.secretsDigest,
                access: { url: { baseUrl: cluster().restUrl(0) } },
                readyTimeoutMs: 90_000,
            });
            return { state: connector.connectorState, secretSinkState: withSecret.connectorState };
        };
        stack = await LocalWorkspace.createOrSelectStack(
            { projectName: "connectcluster-e2e", stackName: "dev", program },
            {
                workDir: run.path,
                pulumiCommand,
                envVars: engineEnv(backend, "e2e-passphrase"),
            },
        );
    });

    after(async () => {
        await stack?.workspace.removeStack("dev", { force: true }).catch(() => undefined);
        await Promise.all(proxies.map((proxy) => proxy.service.stop()));
        await Promise.all(counters.map((counter) => counter.stop()));
    });

    test("preview of a fresh stack lists the connectors and shows no secret", async () => {
        const preview = await stack.preview({ diff: true });
        assert.equal(preview.changeSummary.create, 3, preview.stdout);
        assert.match(preview.stdout, /connectcluster:Connector/);
        for (const secret of [
            REST_PASSWORD,
            Buffer.from(`admin:${REST_PASSWORD}`).toString("base64"),
            CONNECTOR_SECRET,
        ]) {
            assert.ok(!preview.stdout.includes(secret), "no secret in the preview output");
        }
    });

    test("up creates the connector in the real workers", async () => {
        const up = await stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.equal(up.outputs.state.value, "RUNNING");
        assert.equal(up.outputs.secretSinkState.value, "RUNNING");
        const stored = await restClient(cluster().restUrl(0)).getConnectorConfig("e2e-secret-sink");
        assert.equal(
            stored?.["unused.api.token"],
            `\${file:${cluster().connectorSecretsDir}/e2e-secret-sink.properties:unused.api.token}`,
        );
        assert.deepEqual(await restClient(cluster().restUrl(0)).getConnectorConfig("e2e-sink"), {
            ...desired,
            name: "e2e-sink",
        });
    });

    test("a second up changes nothing", async () => {
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: 3 });
    });

    test("changing one key shows exactly that key in the preview, and up applies it", async () => {
        desired = { ...desired, file: `${cluster().runDir}/e2e-moved.txt` };
        const preview = await stack.preview({ diff: true });
        assert.equal(preview.changeSummary.update, 1, preview.stdout);
        const changedLines = preview.stdout
            .split("\n")
            .filter((line) => /^\s*~\s/.test(line) && !/connectcluster:Connector|pulumi:pulumi:Stack/.test(line));
        assert.ok(
            changedLines.some((line) => line.includes("file")),
            preview.stdout,
        );
        assert.ok(!changedLines.some((line) => /tasks\.max|topics|connector\.class/.test(line)), preview.stdout);
        await stack.up();
        assert.equal((await restClient(cluster().restUrl(0)).getConnectorConfig("e2e-sink"))?.file, desired.file);
    });

    test("a config Connect rejects fails the preview with Connect's message, and nothing changes", async () => {
        const good = desired;
        desired = { ...desired, "connector.class": "org.example.NoSuchConnector" };
        try {
            await assert.rejects(stack.preview({ diff: true }), (error: Error) => {
                assert.match(
                    error.message,
                    new RegExp(
                        String.raw`Kafka Connect rejected PUT \/connector-plugins\/org\.example\.` +
                            String.raw`NoSuchConnector\/config\/validate for connector "e2e-sink"`,
                    ),
                );
                return true;
            });
        } finally {
            desired = good;
        }
        assert.equal(
            (await restClient(cluster().restUrl(0)).getConnectorConfig("e2e-sink"))?.["connector.class"],
            FILE_SINK,
        );
    });

    test("an out-of-band edit is seen by refresh and undone by up", async () => {
        await restClient(cluster().restUrl(0)).putConnectorConfig("e2e-sink", { ...desired, "tasks.max": "2" });
        await new Promise((resolve) => setTimeout(resolve, 2_100));
        const refresh = await stack.refresh();
        assert.equal(refresh.summary.resourceChanges?.update, 1, refresh.stdout);
        const up = await stack.up();
        assert.equal(up.summary.resourceChanges?.update, 1);
        assert.equal((await restClient(cluster().restUrl(0)).getConnectorConfig("e2e-sink"))?.["tasks.max"], "1");
    });

    test("a declared pause is applied by up; a hand-made resume is drift after refresh; up pauses again", async () => {
        const client = restClient(cluster().restUrl(0));
        sinkState = "paused";
        const preview = await stack.preview({ diff: true });
        assert.equal(preview.changeSummary.update, 1, preview.stdout);
        assert.match(preview.stdout, /state\s*:\s*"paused"/, preview.stdout);
        const paused = await stack.up();
        assert.deepEqual(paused.summary.resourceChanges, { same: 2, update: 1 });
        assert.equal(paused.outputs.state.value, "PAUSED");
        assert.deepEqual(
            (await client.getConnectorStatus("e2e-sink"))?.tasks.map((task) => task.state),
            ["PAUSED"],
        );

        await client.resumeConnector("e2e-sink");
        await client.waitUntilRunning("e2e-sink", { timeoutMs: 30_000 });
        await new Promise((resolve) => setTimeout(resolve, 2_100));
        const refresh = await stack.refresh();
        assert.equal(refresh.summary.resourceChanges?.update, 1, refresh.stdout);
        const drift = await stack.preview({ diff: true });
        assert.equal(drift.changeSummary.update, 1, drift.stdout);
        assert.match(drift.stdout, /state\s*:\s*"running"\s*=>\s*"paused"/, drift.stdout);
        const restored = await stack.up();
        assert.equal(restored.outputs.state.value, "PAUSED");
        assert.equal((await client.getConnectorStatus("e2e-sink"))?.connector.state, "PAUSED");

        sinkState = undefined;
        const running = await stack.up();
        assert.equal(running.outputs.state.value, "RUNNING");
    });

    test(
        "moving access to another URL and turning deleteOffsetsOnDelete on previews as an update of those inputs, " +
            "up sends nothing for it (only the failed-task listing), and refresh uses the new URL once the old one " +
            "is gone",
        async () => {
            const [old] = proxies;
            const requests = new CountingProxy(() => cluster().restUrl(0));
            counters.push(requests);
            const requestsUrl = await requests.start();
            const moved = await proxyTo(() => requestsUrl);
            sinkUrl = moved.service.url;
            sinkDeletesOffsets = true;
            const connectionsBefore = old.connections;
            const events: EngineEvent[] = [];
            const preview = await stack.preview({ diff: true, onEvent: (event) => events.push(event) });
            assert.deepEqual(preview.changeSummary, { same: 2, update: 1 }, preview.stdout);
            const steps = events
                .map((event) => event.resourcePreEvent?.metadata)
                .filter((step) => step !== undefined && step.op !== "same")
                .map((step) => `${step!.op} ${step!.urn.split("::").pop()}`);
            assert.deepEqual(steps, ["update e2e-sink"], preview.stdout);
            // The display marks the plain input that changed. `access` is a secret: shown masked, and not marked, as
            // the display diffs masked inputs and a dynamic provider's diff cannot return a detailed diff.
            const marked = preview.stdout
                .split("\nResources:")[0]
                .split("\n")
                .filter((line) => /^\s+[-+~] /.test(line) && !/pulumi-nodejs:dynamic/.test(line))
                .map((line) => line.trim().replace(/\s+/g, " "));
            assert.deepEqual(marked, ["+ deleteOffsetsOnDelete: true"], preview.stdout);
            assert.match(preview.stdout, /\n\s+access\s+: \[secret\]\n/, preview.stdout);
            assert.ok(!preview.stdout.includes(moved.service.url), "the access URL is not shown");
            const up = await stack.up();
            assert.deepEqual(up.summary.resourceChanges, { same: 2, update: 1 }, up.stdout);
            assert.equal(old.connections, connectionsBefore, "no REST call to the old URL for preview and up");
            // The new URL is asked only what every preview and up asks (once per run, for all connectors): the one
            // listing that looks for failed tasks to restart. The update itself sends nothing.
            const routes = requests.take();
            assert.deepEqual(Object.keys(routes), ["GET /connectors"], JSON.stringify(routes));
            assert.ok(routes["GET /connectors"] <= 2, JSON.stringify(routes));
            await old.service.stop();
            const refresh = await stack.refresh();
            assert.deepEqual(refresh.summary.resourceChanges, { same: 3 }, refresh.stdout);
            assert.ok(moved.connections > 0, "refresh read the connector through the new URL");
        },
    );

    test("the state file holds no plaintext secret: the REST access is stored encrypted", async () => {
        const files = stateFiles(backend).filter((file) => file.includes(`${path.sep}stacks${path.sep}`));
        assert.ok(files.length > 0, "the file backend wrote the stack's state");
        const encoded = Buffer.from(`admin:${REST_PASSWORD}`).toString("base64");
        for (const file of files) {
            const state: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
            assert.deepEqual(pathsContaining(state, REST_PASSWORD), [], `no REST password in ${file}`);
            assert.deepEqual(pathsContaining(state, encoded), [], `no encoded credentials in ${file}`);
            assert.deepEqual(pathsContaining(state, CONNECTOR_SECRET), [], `no connector secret in ${file}`);
            assert.ok(pathsContaining(state, "e2e-sink").length > 0, `${file} is the connector's state`);
            assert.ok(
                JSON.stringify(state).includes(
                    '"access":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext"',
                ),
                "access is a ciphertext secret",
            );
        }
    });

    test("destroy deletes the connectors (e2e-sink through its new URL, the old one stopped)", async () => {
        await stack.destroy();
        assert.deepEqual(await restClient(cluster().restUrl(0)).listConnectors(), []);
    });
});
