/**
 * The example stack's database sink on the real node (fixtures/realNode.ts), through the real Pulumi engine, with
 * skipAwait off: PostgreSQL and an https Maven-layout repository run inside the node's network namespace on the
 * node's address (where pods reach them); the real `install-plugins` init container (the installer image) downloads
 * the Debezium JDBC sink plugin over https, trusting the run's CA (`pluginInstaller.caCertificatePem`), checks its
 * SHA-512 and installs it; the workers load it and keyed JSON records land in PostgreSQL as upserts, each once.
 * Then a wrong SHA-512: the new pod's init container fails with the installer's "SHA-512 mismatch", `up` fails
 * within the rollout timeout naming the rollout, the old pod keeps running and records produced meanwhile still land;
 * the right checksum again and `up` succeeds. The database password (a Pulumi secret) is in no output, state file,
 * config file or pod spec. One broker, one PostgreSQL, one worker, on the shared node (fixtures/sharedNode.ts).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { JDBC_SINK_CONNECTOR, JDBC_SINK_TOPIC, SEED_CONNECTOR, SEED_TOPIC } from "../../../stacks/seedStack";
import {
    Broker,
    createRunDir,
    findPostgres,
    pinnedArtifact,
    PostgresServer,
    repoRoot,
    RunDir,
    startBroker,
    startPostgres,
    waitFor,
} from "../../integration/harness";
import { orderRounds } from "../../integration/jdbcSinkSupport";
import { connectImage, installerImage } from "../fixtures/connectImage";
import { KubeApi, KubeObject } from "../fixtures/kubeApi";
import { NodeMavenRepo } from "../fixtures/nodeMavenRepo";
import { RealNode } from "../fixtures/realNode";
import { createNamespace, deleteNamespace, realNodeSkip, sharedRealNode } from "../fixtures/sharedNode";
import { ENGINE_ROOT, engineEnv, prepareEngine, stateFiles } from "../support";

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
const nodeSkip = realNodeSkip();
const postgres = findPostgres();
const engine = nodeSkip === false ? prepareEngine(["cli", "language-nodejs", "kubernetes", "kafka"]) : undefined;
const images = nodeSkip === false && engine?.ok ? [connectImage(), installerImage()] : [];
const skip =
    nodeSkip !== false
        ? nodeSkip
        : !engine!.ok
          ? engine!.reason
          : "missing" in postgres
            ? postgres.missing
            : (images.map((i) => ("reason" in i ? i.reason : undefined)).find((r) => r !== undefined) ?? false);

type ContainerState = { terminated?: { exitCode: number; message?: string }; waiting?: { reason?: string } };
type InitStatus = { name: string; state?: ContainerState; lastState?: ContainerState; restartCount: number };
type Pod = KubeObject & {
    status?: { conditions?: { type: string; status: string }[]; initContainerStatuses?: InitStatus[] };
};
const ready = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
const terminating = (pod: Pod) => (pod.metadata as { deletionTimestamp?: string }).deletionTimestamp !== undefined;
/** The exit code of the pod's install-plugins init container's latest finished run, if any. */
const installExit = (pod: Pod) => {
    const status = pod.status?.initContainerStatuses?.find((s) => s.name === "install-plugins");
    return (status?.state?.terminated ?? status?.lastState?.terminated)?.exitCode;
};

describe("the database sink on the real node, through the real engine", { skip, timeout: 1_800_000 }, () => {
    let node: RealNode;
    let api: KubeApi;
    let broker: Broker;
    let db: PostgresServer;
    let repo: NodeMavenRepo;
    let runDir: RunDir;
    let stack: Stack;
    let configFile: string;
    /** What every `up` printed (or failed with): searched for the database password. */
    const outputs: string[] = [];

    const pods = async () => {
        const selector = encodeURIComponent(`app.kubernetes.io/instance=${SEED_CONNECTOR}`);
        return (await api.list<Pod>(`/api/v1/namespaces/${NS}/pods?labelSelector=${selector}`)).filter(
            (p) => !terminating(p),
        );
    };
    const installLog = (pod: Pod, previous: boolean) =>
        api.request<string>(
            "GET",
            `/api/v1/namespaces/${NS}/pods/${pod.metadata.name}/log?container=install-plugins&previous=${previous}`,
        );
    const rows = () => db.query(`SELECT id, customer, version FROM ${JDBC_SINK_TOPIC} ORDER BY id`).split("\n");
    /** Waits until the table holds exactly `expected` rows ("id|customer|version", by id). */
    const waitForRows = (expected: string[]) =>
        waitFor(
            `${expected.length} rows in PostgreSQL`,
            () => {
                try {
                    return rows().join("\n") === expected.join("\n") ? true : undefined;
                } catch {
                    return undefined; // the connector has not created the table yet
                }
            },
            { timeoutMs: 180_000, intervalMs: 1_000 },
        );
    const expectedRows = (from: number, to: number, version: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => `${from + i}|customer-${from + i}-v${version}|${version}`);

    before(
        async () => {
            if (skip !== false) {
                return;
            }
            runDir = createRunDir("real-node-database");
            const started = Date.now();
            node = await sharedRealNode();
            api = node.api;
            const network = { host: node.nodeIp, launcher: node.launcher };
            broker = await startBroker({ runDir, scramUsers: [USER], network });
            await broker.createTopic({ name: SEED_TOPIC, partitions: 2 });
            await broker.createTopic({ name: JDBC_SINK_TOPIC, partitions: 2 });
            db = await startPostgres({ runDir, network });
            repo = await NodeMavenRepo.start(runDir, node.nodeIp, node.launcher);
            for (const image of images) {
                await node.importImage((image as { archive: string }).archive);
            }
            await createNamespace(api, NS);
            console.log(`node, broker, PostgreSQL, repository and images ready in ${Date.now() - started} ms`);

            const backend = runDir.file("pulumi-state");
            fs.mkdirSync(backend);
            configFile = path.join(repoRoot(), "stacks", `Pulumi.${STACK}.yaml`);
            fs.rmSync(configFile, { force: true });
            stack = await LocalWorkspace.createOrSelectStack(
                { stackName: STACK, workDir: repoRoot() },
                {
                    pulumiCommand: await PulumiCommand.get({ root: ENGINE_ROOT }),
                    envVars: engineEnv(backend, "real-node-db", {
                        KUBECONFIG: node.kubeconfigFile,
                        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
                    }),
                },
            );
            await stack.setAllConfig({
                bootstrapServers: { value: broker.saslBootstrapServers! },
                kafkaApiKey: { value: USER.username, secret: true },
                kafkaApiSecret: { value: USER.password, secret: true },
                kafkaTls: { value: "false" },
                namespace: { value: NS },
                sinkFile: { value: SINK_FILE },
                replicas: { value: "1" },
                replicationFactor: { value: "1" },
                workerOverrides: {
                    value: JSON.stringify({ "plugin.discovery": "service_load", "offset.flush.interval.ms": "1000" }),
                },
                jdbcSinkUrl: { value: db.jdbcUrl },
                jdbcSinkUser: { value: db.user },
                jdbcSinkPassword: { value: db.password, secret: true },
                pluginRepository: { value: repo.url },
                pluginCaCertificatePem: { value: repo.caPem },
            });
        },
        { timeout: 1_800_000 },
    );
    after(async () => {
        // Its pods first, then what they use; the shared node stays up for the next suite.
        if (api !== undefined) {
            await deleteNamespace(api, NS);
        }
        await repo?.stop();
        await db?.stop();
        await broker?.stop();
        if (configFile !== undefined) {
            fs.rmSync(configFile, { force: true });
        }
    });

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
        assert.deepEqual(repo.requests, [{ path: ARCHIVE, status: 200 }], "one download, over https");

        // 100 keys, each written twice: upserts leave one row per key, with its second value.
        assert.equal(await broker.produce(JDBC_SINK_TOPIC, orderRounds(1, 100, 2)), 200);
        await waitForRows(expectedRows(1, 100, 2));
        assert.equal(db.query(`SELECT count(*), count(DISTINCT id) FROM ${JDBC_SINK_TOPIC}`), "100|100");
    });

    test("a wrong SHA-512: the new pod's installer fails, up fails on the rollout, the old pod keeps sinking", async (t) => {
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
        assert.equal(await broker.produce(JDBC_SINK_TOPIC, orderRounds(101, 50, 1)), 50);
        await waitForRows([...expectedRows(1, 100, 2), ...expectedRows(101, 150, 1)]);

        const error = await failed;
        const elapsed = Date.now() - began;
        outputs.push(error.message);
        fs.writeFileSync(runDir.file("failed-up.txt"), error.message);
        const reasons = error.message.split("\n").filter((line) => /^\s*\*/.test(line));
        t.diagnostic(`up failed after ${elapsed} ms: ${[...new Set(reasons.map((l) => l.trim()))].join(" ")}`);
        assert.match(error.message, /kubernetes:apps\/v1:Deployment \(local-file-sink-workers\):/);
        assert.match(error.message, new RegExp(`${NS}/${SEED_CONNECTOR}.*(timed out|progress deadline)`, "s"));
        // Not a speed claim: the component's timeout applied, not pulumi-kubernetes' default of 10 minutes.
        assert.ok(elapsed < (ROLLOUT_TIMEOUT_SECONDS + 120) * 1000, `up failed after ${elapsed} ms`);
        const now = await pods();
        const oldNow = now.find((p) => p.metadata.name === old.metadata.name);
        assert.ok(oldNow !== undefined && ready(oldNow), "the old pod still runs, Ready");

        await stack.removeConfig("jdbcSinkPluginSha512");
        const fixed = await stack.up();
        outputs.push(fixed.stdout, fixed.stderr);
        assert.equal(fixed.summary.result, "succeeded");
        await waitFor("one worker pod", async () => ((await pods()).length === 1 ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 1000,
        });
        const [after] = await pods();
        assert.ok(ready(after));
        assert.equal(after.metadata.name, old.metadata.name, "the old pod's template again: the old pod kept");
        assert.equal(db.query(`SELECT count(*), count(DISTINCT id) FROM ${JDBC_SINK_TOPIC}`), "150|150");
    });

    test("no database password in plaintext: not in up's output, the config file, the state, the pod spec", async () => {
        const exported = execFileSync(path.join(ENGINE_ROOT, "bin", "pulumi"), ["stack", "export", "--stack", STACK], {
            cwd: repoRoot(),
            env: { ...process.env, ...engineEnv(runDir.file("pulumi-state"), "real-node-db") },
            encoding: "utf8",
        });
        assert.match(exported, new RegExp(JDBC_SINK_CONNECTOR), "the state names the database sink");
        const deployment = await api.get(`/apis/apps/v1/namespaces/${NS}/deployments/${SEED_CONNECTOR}`);
        assert.ok(deployment !== undefined);
        const state = stateFiles(runDir.file("pulumi-state")).map((file) => fs.readFileSync(file, "utf8"));
        assert.ok(state.length > 0, "state files");
        const places = {
            exported,
            config: fs.readFileSync(configFile, "utf8"),
            deployment: JSON.stringify(deployment),
            pods: JSON.stringify(await pods()),
            state: state.join("\n"),
            up: outputs.join("\n"),
        };
        for (const [place, text] of Object.entries(places)) {
            assert.ok(!text.includes(db.password), `no database password in ${place}`);
        }
        assert.match(places.config, /jdbcSinkPassword:\s+secure: /, "the config file holds it encrypted");
    });
});
