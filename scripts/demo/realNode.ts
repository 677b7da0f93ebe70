/**
 * The demo on the real node (test/e2e/fixtures/realNodePlatform.ts): etcd, kube-apiserver, controller manager,
 * scheduler, containerd, the kubelet and kube-proxy in a network namespace of their own, the broker inside it, the
 * workers in real pods of the scripts/build-images image. `up` waits for the pods' real readiness (no skipAwait) and
 * creates the connector through the API server's service proxy (no restUrl); the sink file is read from the worker
 * pod's /tmp emptyDir under the kubelet's root folder.
 *
 * The database sink is not run here yet: a pod reaches neither a PostgreSQL nor a plugin repository on the host's
 * loopback, and `plugins` takes http only for a loopback host. Its seam: once PostgreSQL and an https plugin
 * repository run inside the node's namespace (another change builds them), start them in startRealNodeDemo() and
 * return them as `databaseSink` (demo.ts then upserts and shows the table, as on the stand-in).
 */
import * as fs from "node:fs";
import { SEED_CONNECTOR } from "../../stacks/seedStack";
import { waitFor } from "../../test/integration/harness";
import {
    REAL_NODE_PASSPHRASE,
    RealNodePlatform,
    RealNodePrerequisites,
    WorkerPod,
} from "../../test/e2e/fixtures/realNodePlatform";
import { DemoPlatform, NAMESPACE, STACK, step, USER } from "./common";

/** Why the database sink is left out on the real node, printed by the demo. */
export const NO_DATABASE_SINK_ON_REAL_NODE =
    "the database sink runs on the stand-in only for now (on the real node it needs PostgreSQL and an https plugin " +
    "repository inside the node's network namespace); CONNECTCLUSTER_DEMO_NODE=standin runs it";

export async function startRealNodeDemo(prepared: Extract<RealNodePrerequisites, { ok: true }>): Promise<DemoPlatform> {
    const started = Date.now();
    const platform = await RealNodePlatform.start({
        label: "demo-real-node",
        namespace: NAMESPACE,
        user: USER,
        prepared,
    });
    try {
        const { node } = platform;
        step(
            `The real node is up (${((Date.now() - started) / 1000).toFixed(1)} s: node Ready, broker started in ` +
                `its namespace, image imported): node address ${node.nodeIp}, API server ${platform.apiServer}, ` +
                `KUBECONFIG=${node.kubeconfigFile}`,
        );
        const stack = await platform.seedStack(STACK, 2);
        step(`No database sink: ${NO_DATABASE_SINK_ON_REAL_NODE}`);
        const readyPods = () => platform.readyWorkerPods();
        return {
            stack,
            broker: platform.broker,
            backend: platform.backend,
            passphrase: REAL_NODE_PASSPHRASE,
            databaseSink: undefined,
            workerReady: async () => (await readyPods()).length > 0,
            showSinkFile: async (values) => {
                // With 2 workers the task runs in one of them: the file is in that pod's emptyDir only.
                const withFile = async () => {
                    for (const pod of await readyPods()) {
                        const file = platform.sinkFileOf(pod);
                        if (file !== undefined && lines(file).length >= values.length) {
                            return { pod, file };
                        }
                    }
                    return undefined;
                };
                const { pod, file } = await waitFor("the records in a worker pod's sink file", withFile, {
                    timeoutMs: 120_000,
                    intervalMs: 500,
                });
                step(`The sink file ${file} (${podLine(pod)}'s /tmp emptyDir, under the kubelet's root) now holds:`);
                process.stdout.write(fs.readFileSync(file, "utf8"));
            },
            whereToLook: async () => {
                const pods = await readyPods();
                const proxy =
                    `/api/v1/namespaces/${NAMESPACE}/services/${SEED_CONNECTOR}:8083/proxy` +
                    `/connectors/${SEED_CONNECTOR}/status`;
                // What the proxy answers now; a failure is shown, not thrown: the teardown still follows.
                const state = await node.api
                    .request<{ connector?: { state?: string } }>("GET", proxy)
                    .then((status) => status.connector?.state ?? JSON.stringify(status))
                    .catch((error: unknown) => `no answer: ${(error as Error).message.split("\n")[0]}`);
                return [
                    `  node:               ${node.nodeIp} (network namespace: ${node.launcher.join(" ")} <command>)`,
                    `  Kubernetes:         KUBECONFIG=${node.kubeconfigFile} (API server ${platform.apiServer}; ` +
                        "its CA and admin token are in that file, for curl)",
                    `  connector status:   ${platform.apiServer}${proxy} (through the API server's service proxy, ` +
                        `as the component goes; now: ${state})`,
                    ...pods.map(
                        (pod) =>
                            `  worker pod:         ${podLine(pod)}: ${node.launcher.join(" ")} curl ` +
                            `http://${pod.status?.podIP}:8083/connectors; log in ${platform.podLogsDir(pod)}`,
                    ),
                    `  pods (API):         ${platform.apiServer}/api/v1/namespaces/${NAMESPACE}/pods`,
                    `  logs:               ${platform.runDir.path} (node parts, broker)`,
                    `  produce more:       the broker's plaintext listener is ${platform.broker.bootstrapServers}`,
                ];
            },
            stop: () => platform.stop(),
        };
    } catch (error) {
        await platform.stop();
        throw error;
    }
}

const lines = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n");
const podLine = (pod: WorkerPod) => `pod ${pod.metadata.name} (${pod.status?.podIP ?? "no IP"})`;
