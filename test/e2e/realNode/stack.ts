/**
 * The example stack (Pulumi.yaml and stacks/index.ts) through the real Pulumi engine on the real node
 * (fixtures/realNode.ts, shared: fixtures/sharedNode.ts): `pulumi up` with skipAwait off, so pulumi-kubernetes
 * waits for the Deployment's rollout on the pods' real readiness; the workers run in real pods of the
 * scripts/build-images image; the connector is created through the API server's service proxy (the component's
 * default REST access: the stack sets no restUrl); records flow into the FileStreamSink's file in each pod's /tmp
 * emptyDir. Then replicas 1 -> 2 -> 1 and a worker config change, each an `up`, roll the pods one at a time (never
 * no Ready worker, never more than one extra pod) with records produced throughout, none lost. The stack's Kafka
 * credentials (SASL, Pulumi secrets) reach the workers and appear in no output of `up`, config file, state file or
 * the Deployment. Its own namespace, broker and stack (state in its run folder) on the shared node, set up by
 * fixtures/realNodePlatform.ts as for `npm run demo` and removed after the suite.
 *
 * The sink files live in the pods' emptyDirs, which the kubelet deletes with the pod: the platform hard-links each
 * file (keepSinkFiles(), under the kubelet's root folder) as soon as it appears, so what a replaced pod wrote is
 * still counted; the links are removed after the suite.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { Stack } from "@pulumi/pulumi/automation";
import { SEED_CONNECTOR, SEED_TOPIC } from "../../../stacks/seedStack";
import { waitFor } from "../../integration/harness";
import { countRecords, deliveryReport, recordValues, waitForLagZero } from "../../integration/support";
import { PodFileLinker } from "../fixtures/podFiles";
import { stackConfigFile } from "../fixtures/projectStack";
import { isReady, isTerminating, POD_SINK_FILE, RealNodePlatform } from "../fixtures/realNodePlatform";
import { realNodePlatformCheck, sharedNodePlatform } from "../fixtures/sharedNode";

const NS = "kafka-connect";
const STACK = "local-real-node";
const SINK_GROUP = `connect-${SEED_CONNECTOR}`;
/** The stack's Kafka API key and secret (Pulumi secrets): a SASL user of the broker. */
const USER = { username: "real-node-connect", password: `rn-${randomBytes(12).toString("hex")}` };
const prepared = realNodePlatformCheck();
const skip = prepared.ok ? false : prepared.reason;

/** Records over both partitions: a partition nothing was written to has no committed offset, so no lag of 0. */
const spread = (values: string[]) => values.map((value, i) => ({ value, partition: i % 2 }));

describe("the example stack through the real engine on the real node", { skip, timeout: 1_800_000 }, () => {
    let platform: RealNodePlatform | undefined;
    let stack: Stack;
    let sinks: PodFileLinker;
    /** What every `up` printed: searched for the Kafka secret. */
    const outputs: string[] = [];
    const pods = () => platform!.workerPods();
    const readyPods = () => platform!.readyWorkerPods();

    /** Runs `up`, sampling the worker pods every second meanwhile: the most pods at once, the fewest Ready. */
    const upWatched = async () => {
        let most = 0;
        let fewestReady = Number.MAX_SAFE_INTEGER;
        let done = false;
        const sampler = (async () => {
            while (!done) {
                const all = (await pods()).filter((p) => !isTerminating(p));
                most = Math.max(most, all.length);
                fewestReady = Math.min(fewestReady, all.filter(isReady).length);
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
            if (skip !== false) {
                return;
            }
            const started = Date.now();
            platform = await sharedNodePlatform("real-node-stack", NS, USER);
            const { runDir } = platform;
            console.log(`real node, broker and image ready in ${Date.now() - started} ms; logs in ${runDir.path}`);
            sinks = platform.keepSinkFiles();
            // No restUrl: the component reaches the workers through the API server's service proxy. No skipAwait.
            stack = await platform.seedStack(STACK, 1, { sinkTasksMax: { value: "2" } });
        },
        { timeout: 1_800_000 },
    );
    after(async () => {
        await platform?.stop();
    });

    test("up awaits the real rollout; the connector is created through the service proxy; records flow", async () => {
        const { up } = await upWatched();
        assert.deepEqual(up.outputs.connectorStates.value, { [SEED_CONNECTOR]: "RUNNING" });
        const [pod, ...others] = await readyPods();
        assert.deepEqual(others, [], "one worker");
        assert.match(pod.status!.podIP!, /^10\.241\.0\.\d+$/);
        const values = recordValues("seed", 0, 200);
        await platform!.broker.produce(SEED_TOPIC, spread(values));
        await waitForLagZero(platform!.broker, SINK_GROUP, 2);
        sinks.link();
        assert.deepEqual(sinks.errors, []);
        const found = execFileSync("find", [platform!.node.kubeletRootDir, "-name", path.basename(POD_SINK_FILE)]);
        assert.equal(sinks.copies().length, 1, `one pod's sink file; found: ${String(found)}`);
        assert.deepEqual(deliveryReport(values, countRecords(sinks.copies(), "seed")), {
            missing: [],
            duplicated: [],
            unexpected: [],
        });
    });

    test("replicas 1 -> 2 -> 1 and a worker config change roll the pods one at a time; no record is lost", async () => {
        const producer = platform!.broker.startSteadyProducer({ topic: SEED_TOPIC, prefix: "roll", ratePerSecond: 50 });
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
        await waitForLagZero(platform!.broker, SINK_GROUP, 2);
        sinks.link();
        assert.deepEqual(sinks.errors, []);
        const report = deliveryReport(recordValues("roll", 0, acked), countRecords(sinks.copies(), "roll"));
        // A FileStreamSink is at-least-once: a rebalance may write a record again, never lose one.
        assert.deepEqual({ missing: report.missing, unexpected: report.unexpected }, { missing: [], unexpected: [] });
    });

    test("no Kafka secret in plaintext: not in up's output, the config file, the state, the Deployment", async () => {
        const exported = platform!.exportStack(STACK);
        assert.match(exported, new RegExp(SEED_CONNECTOR), "the state names the connector");
        const deployment = await platform!.node.api.get(`/apis/apps/v1/namespaces/${NS}/deployments/${SEED_CONNECTOR}`);
        assert.ok(deployment !== undefined);
        const places = {
            exported,
            config: fs.readFileSync(stackConfigFile(STACK), "utf8"),
            deployment: JSON.stringify(deployment),
        };
        const state = platform!.stateTexts();
        assert.ok(state.length > 0, "state files");
        for (const [place, text] of Object.entries({ ...places, state: state.join("\n"), up: outputs.join("\n") })) {
            assert.ok(!text.includes(USER.password), `no Kafka secret in ${place}`);
        }
        assert.match(places.config, /kafkaApiSecret:\s+secure: /, "the config file holds it encrypted");
    });
});
