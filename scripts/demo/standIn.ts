/**
 * The demo on the stand-in platform (test/e2e/fixtures/localPlatform.ts): a real broker and API server on loopback,
 * and LocalKubelet, which runs the Deployment's workers as local processes from the Secret the stack wrote. With
 * PostgreSQL on this machine, also the stack's database sink (PostgreSQL and a loopback Maven repository; the
 * stand-in runs each pod's `install-plugins` init container command before its worker).
 */
import * as fs from "node:fs";
import { JDBC_SINK_CONNECTOR, SEED_CONNECTOR } from "../../stacks/seedStack";
import { findPostgres, httpGet, waitFor } from "../../test/integration/harness";
import { DatabaseSink, LocalPlatform } from "../../test/e2e/fixtures/localPlatform";
import { DemoPlatform, NAMESPACE, STACK, step, USER } from "./common";

export async function startStandIn(): Promise<DemoPlatform> {
    step("Starting a KRaft broker (SASL/PLAIN listener), etcd, kube-apiserver and a local kubelet stand-in");
    const platform = await LocalPlatform.start("demo", NAMESPACE, USER);
    try {
        const stack = await platform.seedStack(STACK, 2);
        const postgres = findPostgres();
        let databaseSink: DatabaseSink | undefined;
        if ("missing" in postgres) {
            step(`No database sink: ${postgres.missing}`);
        } else {
            step(
                `Starting PostgreSQL ${postgres.version} and a Maven repository on loopback (the Debezium JDBC sink ` +
                    `plugin, fetched once from Maven Central); setting the stack's jdbcSink* config`,
            );
            databaseSink = await platform.addDatabaseSink(stack);
        }
        return {
            stack,
            broker: platform.broker,
            backend: platform.backend,
            passphrase: "local-platform",
            databaseSink,
            // The stand-in writes no pod status: a worker is ready when its REST API answers, as its probe asks.
            workerReady: async () => {
                for (const url of platform.kubelet.endpoints()) {
                    if ((await httpGet(`${url}/health`, { timeoutMs: 2000 }).catch(() => undefined))?.status === 200) {
                        return true;
                    }
                }
                return false;
            },
            showSinkFile: async (values) => {
                const sinkFile = platform.sinkFile;
                const lines = () =>
                    fs.existsSync(sinkFile) ? fs.readFileSync(sinkFile, "utf8").trim().split("\n") : [];
                await waitFor(
                    "the records in the sink file",
                    () => (lines().length >= values.length ? true : undefined),
                    {
                        timeoutMs: 90_000,
                    },
                );
                step(`The sink file ${sinkFile} now holds:`);
                process.stdout.write(fs.readFileSync(sinkFile, "utf8"));
            },
            whereToLook: async () => [
                `  connector status:   curl ${platform.service.url}/connectors/${SEED_CONNECTOR}/status`,
                `  workers:            ${platform.kubelet.endpoints().join(", ")} (local processes, each run from ` +
                    `the Secret's distributed.properties)`,
                `  sink file:          ${platform.sinkFile}`,
                ...(databaseSink === undefined
                    ? []
                    : [
                          `  database sink:      curl ${platform.service.url}/connectors/${JDBC_SINK_CONNECTOR}/` +
                              `status; table ${databaseSink.topic} at ${databaseSink.db.jdbcUrl} ` +
                              `(user ${databaseSink.db.user}; log ${databaseSink.db.logFile})`,
                      ]),
                `  Kubernetes:         KUBECONFIG=${platform.controlPlane.kubeconfigFile} (API server ` +
                    `${platform.controlPlane.api.server})`,
                `  logs:               ${platform.runDir.path}`,
                `  produce more:       the broker's plaintext listener is ${platform.broker.bootstrapServers}`,
            ],
            stop: () => platform.stop(),
        };
    } catch (error) {
        await platform.stop();
        throw error;
    }
}
