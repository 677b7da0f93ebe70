/**
 * The example stack's database sink on the real node (fixtures/realNode.ts), through the real Pulumi engine, with
 * skipAwait off: PostgreSQL and an https Maven-layout repository run inside the node's network namespace on the
 * node's address (where pods reach them); the real `install-plugins` init container (the installer image) downloads
 * the Debezium JDBC sink plugin over https, trusting the run's CA (`pluginInstaller.caCertificatePem`), checks its
 * SHA-512 and installs it; the workers load it and keyed JSON records land in PostgreSQL as upserts, each once.
 * Then a wrong SHA-512: the new pod's init container fails with the installer's "SHA-512 mismatch", `up` fails
 * within the rollout timeout naming the rollout, the old pod keeps running and records produced meanwhile still land;
 * the right checksum again and `up` succeeds. The database password (a Pulumi secret) is in no output, state file,
 * config file or pod spec. One broker, one PostgreSQL, one worker, on the shared node (fixtures/sharedNode.ts); the
 * broker, image, namespace and stack set up by fixtures/realNodePlatform.ts, as for realNode/stack.ts and the demo.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { Stack } from "@pulumi/pulumi/automation";
import { JDBC_SINK_CONNECTOR, JDBC_SINK_TOPIC, SEED_CONNECTOR } from "../../../stacks/seedStack";
import { findPostgres, pinnedArtifact, PostgresServer, waitFor } from "../../integration/harness";
import { orderRounds, orderRows, waitForOrderRows } from "../../integration/jdbcSinkSupport";
import { installerImage } from "../fixtures/connectImage";
import { NodeMavenRepo } from "../fixtures/nodeMavenRepo";
import { stackConfigFile } from "../fixtures/projectStack";
import { isReady, isTerminating, RealNodePlatform, WorkerPod } from "../fixtures/realNodePlatform";
import { realNodePlatformCheck, sharedNodePlatform } from "../fixtures/sharedNode";

/** Its own namespace and sink file on the shared node (fixtures/sharedNode.ts). */
const NS = "kafka-connect-db";
const SINK_FILE = "/tmp/db-suite.sink.txt";
const STACK = "local-real-node-db";
/**
 * How long a stuck rollout may take before `up` fails (the component's rolloutTimeoutSeconds, its least), set for
 * the bad checksum's `up`: the first rollout keeps the default, a cold worker start being slow on a loaded machine.
 */
const ROLLOUT_TIMEOUT_SECONDS = 30;
const USER = { username: "real-node-db", password: `rndb-${randomBytes(12).toString("hex")}` };
const ARCHIVE = `/maven2/${pinnedArtifact("debezium-connector-jdbc").repositoryPath}`;
const prepared = realNodePlatformCheck();
const postgres = findPostgres();
const installer = prepared.ok ? installerImage() : undefined;
const skip = !prepared.ok
    ? prepared.reason
    : "missing" in postgres
      ? postgres.missing
      : "reason" in installer!
        ? installer.reason
        : false;

type ContainerState = { terminated?: { exitCode: number; message?: string }; waiting?: { reason?: string } };
type InitStatus = { name: string; state?: ContainerState; lastState?: ContainerState; restartCount: number };
type Pod = WorkerPod & { status?: { initContainerStatuses?: InitStatus[] } };
/** The exit code of the pod's install-plugins init container's latest finished run, if any. */
const installExit = (pod: Pod) => {
    const status = pod.status?.initContainerStatuses?.find((s) => s.name === "install-plugins");
    return (status?.state?.terminated ?? status?.lastState?.terminated)?.exitCode;
};

describe("the database sink on the real node, through the real engine", { skip, timeout: 1_800_000 }, () => {
    let platform: RealNodePlatform | undefined;
    let db: PostgresServer | undefined;
    let repo: NodeMavenRepo | undefined;
    let stack: Stack;
    /** What every `up` printed (or failed with): searched for the database password. */
    const outputs: string[] = [];

    const pods = async () => (await platform!.workerPods<Pod>()).filter((p) => !isTerminating(p));
    const installLog = (pod: Pod, previous: boolean) =>
        platform!.node.api.request<string>(
            "GET",
            `/api/v1/namespaces/${NS}/pods/${pod.metadata.name}/log?container=install-plugins&previous=${previous}`,
        );
    const waitForRows = (expected: string[]) => waitForOrderRows(db!, JDBC_SINK_TOPIC, expected);

    before(
        async () => {
            if (skip !== false || installer === undefined || !("archive" in installer)) {
                return;
            }
            const started = Date.now();
            platform = await sharedNodePlatform("real-node-database", NS, USER);
            const sink = await platform.addDatabaseSink(installer.archive);
            ({ db, repo } = sink);
            console.log(`node, broker, PostgreSQL, repository and images ready in ${Date.now() - started} ms`);
            stack = await platform.seedStack(STACK, 1, { sinkFile: { value: SINK_FILE }, ...sink.config });
        },
        { timeout: 1_800_000 },
    );
    // Its pods first (stop() deletes the namespace), then what they use (the sink's parts); the node stays up.
    after(() => platform?.stop());

    test("the init container installs the plugin over https; records land in PostgreSQL as upserts", async () => {
        const up = await stack.up();
        outputs.push(up.stdout, up.stderr);
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(up.outputs.connectorStates.value, {
            [SEED_CONNECTOR]: "RUNNING",
            [JDBC_SINK_CONNECTOR]: "RUNNING",
        });
        const [pod, ...others] = await pods();
        assert.deepEqual(others, [], "one worker");
        assert.equal(installExit(pod), 0);
        assert.match(await installLog(pod, false), /install-plugins: installed debezium-jdbc/);
        assert.deepEqual(repo!.requests, [{ path: ARCHIVE, status: 200 }], "one download, over https");

        // 100 keys, each written twice: upserts leave one row per key, with its second value.
        assert.equal(await platform!.broker.produce(JDBC_SINK_TOPIC, orderRounds(1, 100, 2)), 200);
        await waitForRows(orderRows(1, 100, 2));
        assert.equal(db!.query(`SELECT count(*), count(DISTINCT id) FROM ${JDBC_SINK_TOPIC}`), "100|100");
    });

    test("a wrong SHA-512: the new pod's installer fails, up fails on its rollout, the old pod sinks on", async (t) => {
        const [old] = await pods();
        await stack.setAllConfig({
            jdbcSinkPluginSha512: { value: "0".repeat(128) },
            rolloutTimeoutSeconds: { value: String(ROLLOUT_TIMEOUT_SECONDS) },
        });
        const began = Date.now();
        const failed = stack.up().then(
            () => assert.fail("up succeeded with a wrong checksum"),
            (error: Error) => error,
        );
        const broken = await waitFor(
            "the new pod's install-plugins to fail",
            async () => (await pods()).find((p) => p.metadata.name !== old.metadata.name && installExit(p) === 1),
            { timeoutMs: 120_000, intervalMs: 1000 },
        );
        const restarted = broken.status!.initContainerStatuses![0].state?.terminated === undefined;
        assert.match(
            await installLog(broken, restarted),
            new RegExp(
                "install-plugins: plugin 'debezium-jdbc' artifact '[^']+': SHA-512 mismatch \\(expected 0{128}, " +
                    `got ${pinnedArtifact("debezium-connector-jdbc").sha512}, from https://`,
            ),
        );
        // Meanwhile the old pod's workers keep sinking: these land while the rollout is stuck.
        assert.equal(await platform!.broker.produce(JDBC_SINK_TOPIC, orderRounds(101, 50, 1)), 50);
        await waitForRows([...orderRows(1, 100, 2), ...orderRows(101, 50, 1)]);

        const error = await failed;
        const elapsed = Date.now() - began;
        outputs.push(error.message);
        fs.writeFileSync(platform!.runDir.file("failed-up.txt"), error.message);
        const reasons = error.message.split("\n").filter((line) => /^\s*\*/.test(line));
        t.diagnostic(`up failed after ${elapsed} ms: ${[...new Set(reasons.map((l) => l.trim()))].join(" ")}`);
        assert.match(error.message, /kubernetes:apps\/v1:Deployment \(local-file-sink-workers\):/);
        assert.match(error.message, new RegExp(`${NS}/${SEED_CONNECTOR}.*(timed out|progress deadline)`, "s"));
        // Not a speed claim: the component's timeout applied, not pulumi-kubernetes' default of 10 minutes.
        assert.ok(elapsed < (ROLLOUT_TIMEOUT_SECONDS + 120) * 1000, `up failed after ${elapsed} ms`);
        const now = await pods();
        const oldNow = now.find((p) => p.metadata.name === old.metadata.name);
        assert.ok(oldNow !== undefined && isReady(oldNow), "the old pod still runs, Ready");

        await stack.removeConfig("jdbcSinkPluginSha512");
        const fixed = await stack.up();
        outputs.push(fixed.stdout, fixed.stderr);
        assert.equal(fixed.summary.result, "succeeded");
        await waitFor("one worker pod", async () => ((await pods()).length === 1 ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 1000,
        });
        const [after] = await pods();
        assert.ok(isReady(after));
        assert.equal(after.metadata.name, old.metadata.name, "the old pod's template again: the old pod kept");
        assert.equal(db!.query(`SELECT count(*), count(DISTINCT id) FROM ${JDBC_SINK_TOPIC}`), "150|150");
    });

    test("no database password in plaintext: not in up's output, config file, state, pod spec", async () => {
        const exported = platform!.exportStack(STACK);
        assert.match(exported, new RegExp(JDBC_SINK_CONNECTOR), "the state names the database sink");
        const deployment = await platform!.node.api.get(`/apis/apps/v1/namespaces/${NS}/deployments/${SEED_CONNECTOR}`);
        assert.ok(deployment !== undefined);
        const state = platform!.stateTexts();
        assert.ok(state.length > 0, "state files");
        const places = {
            exported,
            config: fs.readFileSync(stackConfigFile(STACK), "utf8"),
            deployment: JSON.stringify(deployment),
            pods: JSON.stringify(await pods()),
            state: state.join("\n"),
            up: outputs.join("\n"),
        };
        for (const [place, text] of Object.entries(places)) {
            assert.ok(!text.includes(db!.password), `no database password in ${place}`);
        }
        assert.match(places.config, /jdbcSinkPassword:\s+secure: /, "the config file holds it encrypted");
    });
});
