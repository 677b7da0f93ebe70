/**
 * The demo on the real node (test/e2e/fixtures/realNodePlatform.ts): etcd, kube-apiserver, controller manager,
 * scheduler, containerd, the kubelet and kube-proxy in a network namespace of their own, the broker inside it, the
 * workers in real pods of the scripts/build-images image. `up` waits for the pods' real readiness (no skipAwait) and
 * creates the connector through the API server's service proxy (no restUrl); the sink file is read from the worker
 * pod's /tmp emptyDir under the kubelet's root folder.
 *
 * With PostgreSQL on this machine, also the database sink: PostgreSQL and an https Maven-layout repository run inside
 * the node's namespace (where pods reach them; RealNodePlatform.addDatabaseSink), and the workers' real
 * `install-plugins` init container downloads the Debezium JDBC sink from it, trusting the run's CA
 * (`pluginCaCertificatePem`), before each worker starts.
 */
import * as fs from "node:fs";
import { JDBC_SINK_CONNECTOR, SEED_CONNECTOR } from "../../stacks/seedStack";
import { findPostgres, waitFor } from "../../test/integration/harness";
import { installerImage } from "../../test/e2e/fixtures/connectImage";
import {
    REAL_NODE_PASSPHRASE,
    RealNodeDatabaseSink,
    RealNodePlatform,
    RealNodePrerequisites,
    WorkerPod,
} from "../../test/e2e/fixtures/realNodePlatform";
import { DemoPlatform, NAMESPACE, STACK, step, USER } from "./common";

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
        const sink = await databaseSink(platform);
        const stack = await platform.seedStack(STACK, 2, sink?.config);
        const readyPods = () => platform.readyWorkerPods();
        return {
            stack,
            broker: platform.broker,
            backend: platform.backend,
            passphrase: REAL_NODE_PASSPHRASE,
            databaseSink: sink,
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
                    ...(sink === undefined
                        ? []
                        : [
                              `  database sink:      ${platform.apiServer}/api/v1/namespaces/${NAMESPACE}/services/` +
                                  `${SEED_CONNECTOR}:8083/proxy/connectors/${JDBC_SINK_CONNECTOR}/status; table ` +
                                  `${sink.topic} at ${sink.db.jdbcUrl} (user ${sink.db.user}; log ${sink.db.logFile})`,
                          ]),
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

/** The database sink's parts in the node's namespace when PostgreSQL and the installer image are here; else why not. */
async function databaseSink(platform: RealNodePlatform): Promise<RealNodeDatabaseSink | undefined> {
    const postgres = findPostgres();
    if ("missing" in postgres) {
        step(`No database sink: ${postgres.missing}`);
        return undefined;
    }
    const installer = installerImage();
    if ("reason" in installer) {
        step(`No database sink: ${installer.reason}`);
        return undefined;
    }
    step(
        `Starting PostgreSQL ${postgres.version} and an https Maven repository (the Debezium JDBC sink plugin, ` +
            `fetched once from Maven Central; its certificate from a CA made for this run) inside the node's ` +
            `namespace; importing the plugin installer's image; setting the stack's jdbcSink*, pluginRepository ` +
            `and pluginCaCertificatePem config`,
    );
    return platform.addDatabaseSink(installer.archive);
}

const lines = (file: string) => fs.readFileSync(file, "utf8").trim().split("\n");
const podLine = (pod: WorkerPod) => `pod ${pod.metadata.name} (${pod.status?.podIP ?? "no IP"})`;
