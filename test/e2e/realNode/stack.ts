/**
 * The example stack (Pulumi.yaml and stacks/index.ts) through the real Pulumi engine on the real node
 * (fixtures/realNode.ts, shared: fixtures/sharedNode.ts): `pulumi up` with skipAwait off, so pulumi-kubernetes
 * waits for the Deployment's rollout on the pods' real readiness; the workers run in real pods of the
 * scripts/build-images image; the connector is created through the API server's service proxy (the component's
 * default REST access: the stack sets no restUrl); records flow into the FileStreamSink's file in each pod's /tmp
 * emptyDir. Then replicas 1 -> 2 -> 1 and a worker config change, each an `up`, roll the pods one at a time (never
 * no Ready worker, never more than one extra pod) with records produced throughout, none lost. The stack's Kafka
 * credentials (SASL, Pulumi secrets) reach the workers and appear in no output of `up`, config file, state file or
 * the Deployment. Its own namespace, broker and stack (state in its run folder), removed after the suite.
 *
 * The sink files live in the pods' emptyDirs, which the kubelet deletes with the pod: the test hard-links each file
 * (in the node's state folder) as soon as it appears, so what a replaced pod wrote is still counted; the links are
 * removed after the suite.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { SEED_CONNECTOR, SEED_TOPIC } from "../../../stacks/seedStack";
import { Broker, createRunDir, repoRoot, RunDir, startBroker, waitFor } from "../../integration/harness";
import { countRecords, deliveryReport, recordValues, waitForLagZero } from "../../integration/support";
import { KubeApi, KubeObject } from "../fixtures/kubeApi";
import { connectImage } from "../fixtures/connectImage";
import { RealNode } from "../fixtures/realNode";
import { createNamespace, deleteNamespace, realNodeSkip, sharedRealNode } from "../fixtures/sharedNode";
import { ENGINE_ROOT, engineEnv, prepareEngine, stateFiles } from "../support";

const NS = "kafka-connect";
const STACK = "local-real-node";
const SINK_FILE = "/tmp/test.sink.txt";
const SINK_GROUP = `connect-${SEED_CONNECTOR}`;
/** The stack's Kafka API key and secret (Pulumi secrets): a SASL user of the broker. */
const USER = { username: "real-node-connect", password: `rn-${randomBytes(12).toString("hex")}` };
const nodeSkip = realNodeSkip();
const engine = nodeSkip === false ? prepareEngine(["cli", "language-nodejs", "kubernetes", "kafka"]) : undefined;
const image = nodeSkip === false && engine?.ok ? connectImage() : undefined;
const skip = nodeSkip !== false ? nodeSkip : !engine!.ok ? engine!.reason : "reason" in image! ? image.reason : false;

/** Records over both partitions: a partition nothing was written to has no committed offset, so no lag of 0. */
const spread = (values: string[]) => values.map((value, i) => ({ value, partition: i % 2 }));

type Pod = KubeObject & { status?: { podIP?: string; conditions?: { type: string; status: string }[] } };
const ready = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
const terminating = (pod: Pod) => (pod.metadata as { deletionTimestamp?: string }).deletionTimestamp !== undefined;

describe("the example stack through the real engine on the real node", { skip, timeout: 1_800_000 }, () => {
    let node: RealNode;
    let api: KubeApi;
    let broker: Broker;
    let runDir: RunDir;
    let stack: Stack;
    let configFile: string;
    let linker: NodeJS.Timeout | undefined;
    /** What every `up` printed: searched for the Kafka secret. */
    const outputs: string[] = [];
    /**
     * In the kubelet's root folder, which it bind-mounts onto itself: on the pods' volumes' mount (a hard link cannot
     * cross mounts). Removed after the suite.
     */
    const sinksDir = () => path.join(node.kubeletRootDir, "test-sinks");
    const sinkCopies = () => fs.readdirSync(sinksDir()).map((f) => path.join(sinksDir(), f));

    const pods = async () => {
        const selector = encodeURIComponent(`app.kubernetes.io/instance=${SEED_CONNECTOR}`);
        return api.list<Pod>(`/api/v1/namespaces/${NS}/pods?labelSelector=${selector}`);
    };
    /** The Ready, not terminating, worker pods. */
    const readyPods = async () => (await pods()).filter((p) => ready(p) && !terminating(p));

    /**
     * Hard-links each pod's sink file (in its /tmp emptyDir under the node's state folder, same filesystem) into
     * the run folder: the link keeps the file, and whatever the task appends later, after the kubelet deletes the
     * pod's volumes.
     */
    const linkErrors: string[] = [];
    const linkSinkFiles = () => {
        const podsDir = path.join(node.kubeletRootDir, "pods");
        fs.mkdirSync(sinksDir(), { recursive: true });
        const under = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
        for (const uid of under(podsDir)) {
            const volumes = path.join(podsDir, uid, "volumes");
            for (const kind of under(volumes)) {
                for (const volume of under(path.join(volumes, kind))) {
                    const file = path.join(volumes, kind, volume, path.basename(SINK_FILE));
                    const copy = path.join(sinksDir(), `${uid}-${volume}`);
                    try {
                        if (!fs.existsSync(copy) && fs.existsSync(file)) {
                            fs.linkSync(file, copy);
                        }
                    } catch (error) {
                        // ENOENT: the pod's volume went away between the checks.
                        const message = `${file}: ${(error as Error).message}`;
                        if ((error as NodeJS.ErrnoException).code !== "ENOENT" && !linkErrors.includes(message)) {
                            linkErrors.push(message);
                        }
                    }
                }
            }
        }
    };

    /** Runs `up`, sampling the worker pods every second meanwhile: the most pods at once, the fewest Ready. */
    const upWatched = async () => {
        let most = 0;
        let fewestReady = Number.MAX_SAFE_INTEGER;
        let done = false;
        const sampler = (async () => {
            while (!done) {
                const all = (await pods()).filter((p) => !terminating(p));
                most = Math.max(most, all.length);
                fewestReady = Math.min(fewestReady, all.filter(ready).length);
                await new Promise((resolve) => setTimeout(resolve, 1000));
            }
        })();
        try {
            const up = await stack.up();
            outputs.push(up.stdout, up.stderr);
            assert.equal(up.summary.result, "succeeded");
            return { up, most: () => most, fewestReady: () => fewestReady };
        } finally {
            done = true;
            await sampler;
        }
    };

    before(
        async () => {
            if (skip !== false || image === undefined || !("archive" in image)) {
                return;
            }
            runDir = createRunDir("real-node-stack");
            const started = Date.now();
            node = await sharedRealNode();
            api = node.api;
            broker = await startBroker({
                runDir,
                scramUsers: [USER],
                network: { host: node.nodeIp, launcher: node.launcher },
            });
            await broker.createTopic({ name: SEED_TOPIC, partitions: 2 });
            await node.importImage(image.archive);
            await createNamespace(api, NS);
            console.log(`real node, broker and image ready in ${Date.now() - started} ms; logs in ${runDir.path}`);
            linker = setInterval(linkSinkFiles, 250);

            const backend = runDir.file("pulumi-state");
            fs.mkdirSync(backend);
            configFile = path.join(repoRoot(), "stacks", `Pulumi.${STACK}.yaml`);
            fs.rmSync(configFile, { force: true });
            stack = await LocalWorkspace.createOrSelectStack(
                { stackName: STACK, workDir: repoRoot() },
                {
                    pulumiCommand: await PulumiCommand.get({ root: ENGINE_ROOT }),
                    envVars: engineEnv(backend, "real-node", {
                        KUBECONFIG: node.kubeconfigFile,
                        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
                    }),
                },
            );
            // No restUrl: the component reaches the workers through the API server's service proxy. No skipAwait.
            await stack.setAllConfig({
                bootstrapServers: { value: broker.saslBootstrapServers! },
                kafkaApiKey: { value: USER.username, secret: true },
                kafkaApiSecret: { value: USER.password, secret: true },
                kafkaTls: { value: "false" },
                namespace: { value: NS },
                replicas: { value: "1" },
                replicationFactor: { value: "1" },
                sinkTasksMax: { value: "2" },
                sinkFile: { value: SINK_FILE },
                workerOverrides: {
                    value: JSON.stringify({ "plugin.discovery": "service_load", "offset.flush.interval.ms": "1000" }),
                },
            });
        },
        { timeout: 1_800_000 },
    );
    after(async () => {
        clearInterval(linker);
        try {
            await broker?.killSteadyProducers();
            await deleteNamespace(api, NS);
        } finally {
            await broker?.stop();
            if (node !== undefined) {
                fs.rmSync(sinksDir(), { recursive: true, force: true });
            }
            if (configFile !== undefined) {
                fs.rmSync(configFile, { force: true });
            }
        }
    });

    test("up awaits the real rollout; the connector is created through the service proxy; records flow", async () => {
        const { up } = await upWatched();
        assert.deepEqual(up.outputs.connectorStates.value, { [SEED_CONNECTOR]: "RUNNING" });
        const [pod, ...others] = await readyPods();
        assert.deepEqual(others, [], "one worker");
        assert.match(pod.status!.podIP!, /^10\.241\.0\.\d+$/);
        const values = recordValues("seed", 0, 200);
        await broker.produce(SEED_TOPIC, spread(values));
        await waitForLagZero(broker, SINK_GROUP, 2);
        linkSinkFiles();
        assert.deepEqual(linkErrors, []);
        const found = execFileSync("find", [node.kubeletRootDir, "-name", path.basename(SINK_FILE)]);
        assert.equal(sinkCopies().length, 1, `one pod's sink file; found: ${String(found)}`);
        assert.deepEqual(deliveryReport(values, countRecords(sinkCopies(), "seed")), {
            missing: [],
            duplicated: [],
            unexpected: [],
        });
    });

    test("replicas 1 -> 2 -> 1 and a worker config change roll the pods one at a time; no record is lost", async () => {
        const producer = broker.startSteadyProducer({ topic: SEED_TOPIC, prefix: "roll", ratePerSecond: 50 });
        const before = (await readyPods()).map((p) => p.metadata.name);

        await stack.setConfig("replicas", { value: "2" });
        const scaledUp = await upWatched();
        assert.equal(scaledUp.most(), 2, "two pods, never more");
        assert.ok(scaledUp.fewestReady() >= 1, "a Ready worker throughout");
        const two = (await readyPods()).map((p) => p.metadata.name);
        assert.equal(two.length, 2);
        assert.ok(
            before.every((name) => two.includes(name)),
            "the first pod kept running",
        );

        await stack.setConfig("replicas", { value: "1" });
        const scaledDown = await upWatched();
        assert.ok(scaledDown.fewestReady() >= 1, "a Ready worker throughout");
        await waitFor("one worker pod", async () => ((await pods()).length === 1 ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 1000,
        });

        // A worker setting changes the workers' Secret, so the pod template's checksum: a rolling update.
        const one = (await readyPods()).map((p) => p.metadata.name);
        await stack.setConfig("workerOverrides", {
            value: JSON.stringify({ "plugin.discovery": "service_load", "offset.flush.interval.ms": "2000" }),
        });
        const rolled = await upWatched();
        assert.equal(rolled.most(), 2, "one extra pod at a time (maxSurge 1)");
        assert.ok(rolled.fewestReady() >= 1, "the old pod Ready until its replacement is (maxUnavailable 0)");
        const after = (await readyPods()).map((p) => p.metadata.name);
        assert.equal(after.length, 1);
        assert.notDeepEqual(after, one, "the pod was replaced");

        const acked = await producer.stop();
        assert.ok(acked > 0);
        await waitForLagZero(broker, SINK_GROUP, 2);
        linkSinkFiles();
        assert.deepEqual(linkErrors, []);
        const report = deliveryReport(recordValues("roll", 0, acked), countRecords(sinkCopies(), "roll"));
        // A FileStreamSink is at-least-once: a rebalance may write a record again, never lose one.
        assert.deepEqual({ missing: report.missing, unexpected: report.unexpected }, { missing: [], unexpected: [] });
    });

    test("no Kafka secret in plaintext: not in up's output, the config file, the state, the Deployment", async () => {
        const exported = execFileSync(path.join(ENGINE_ROOT, "bin", "pulumi"), ["stack", "export", "--stack", STACK], {
            cwd: repoRoot(),
            env: { ...process.env, ...engineEnv(runDir.file("pulumi-state"), "real-node") },
            encoding: "utf8",
        });
        assert.match(exported, new RegExp(SEED_CONNECTOR), "the state names the connector");
        const deployment = await api.get(`/apis/apps/v1/namespaces/${NS}/deployments/${SEED_CONNECTOR}`);
        assert.ok(deployment !== undefined);
        const places = {
            exported,
            config: fs.readFileSync(configFile, "utf8"),
            deployment: JSON.stringify(deployment),
        };
        const state = stateFiles(runDir.file("pulumi-state")).map((file) => fs.readFileSync(file, "utf8"));
        assert.ok(state.length > 0, "state files");
        for (const [place, text] of Object.entries({ ...places, state: state.join("\n"), up: outputs.join("\n") })) {
            assert.ok(!text.includes(USER.password), `no Kafka secret in ${place}`);
        }
        assert.match(places.config, /kafkaApiSecret:\s+secure: /, "the config file holds it encrypted");
    });
});
