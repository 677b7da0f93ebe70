/**
 * `npm run demo`: `pulumi up` of this repository's project (Pulumi.yaml, stacks/index.ts: the seed's
 * deployment) end to end on this machine, through the real Pulumi engine: the three storage topics in a
 * real KRaft broker (over SASL, the stack's Kafka credentials being Pulumi secrets), the Secret,
 * Deployment, Service, PDB and NetworkPolicy in a real kube-apiserver, two Connect workers run from the
 * Deployment's Secret by a local stand-in for the kubelet, and the seed's local-file-sink connector
 * registered over the REST API; with PostgreSQL on this machine, also the database sink: PostgreSQL and a
 * loopback Maven repository are started, the stack's `jdbcSink*` config set, and the workers' `install-plugins`
 * init container installs the Debezium JDBC sink before each worker starts. Then records go through, into the
 * sink file and the table. Enter tears everything down; without a terminal it tears down at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { execFileSync } from "node:child_process";
import { JDBC_SINK_CONNECTOR, SEED_CONNECTOR, SEED_TOPIC } from "../stacks/seedStack";
import { findPostgres, waitFor } from "../test/integration/harness";
import { orderRecord } from "../test/integration/jdbcSinkSupport";
import { DatabaseSink, LocalPlatform } from "../test/e2e/fixtures/localPlatform";
import { ENGINE_BIN } from "../test/e2e/support";

const USER = { username: "demo-api-key", password: "demo-api-secret" };
/** A stack of the repository's own project (Pulumi.yaml, stacks/index.ts); its config file is git-ignored and removed
 * at the end. */
const STACK = "local-demo" as const;

async function main(): Promise<void> {
    const root = path.resolve(__dirname, "..", "..");
    step(
        "Preparing: Kafka jars from Maven Central; the Pulumi CLI, its Node.js language host, its Kubernetes and " +
            "Kafka providers, etcd and kube-apiserver from the Go module proxy (cached after the first run)",
    );
    execFileSync(path.join(root, "scripts", "setup-engine"), ["all"], { stdio: ["ignore", "ignore", "inherit"] });

    step("Starting a KRaft broker (SASL/PLAIN listener), etcd, kube-apiserver and a local kubelet stand-in");
    const platform = await LocalPlatform.start("demo", "kafka-connect", USER);
    try {
        const stack = await platform.seedStack(STACK, 2);
        const postgres = findPostgres();
        let sink: DatabaseSink | undefined;
        if ("missing" in postgres) {
            step(`No database sink: ${postgres.missing}`);
        } else {
            step(
                `Starting PostgreSQL ${postgres.version} and a Maven repository on loopback (the Debezium JDBC sink ` +
                    `plugin, fetched once from Maven Central); setting the stack's jdbcSink* config`,
            );
            sink = await platform.addDatabaseSink(stack);
        }
        step(
            `pulumi up -s ${STACK} in ${root} (Pulumi.yaml, stacks/index.ts): topics, Kubernetes objects, workers, ` +
                `connector`,
        );
        const up = await stack.up({ onOutput: (text) => process.stdout.write(text) });

        step(`Producing 10 records to ${SEED_TOPIC}`);
        const values = Array.from({ length: 10 }, (_, i) => `hello from the seed pipeline #${i + 1}`);
        await platform.broker.produce(SEED_TOPIC, values);
        const sinkFile = platform.sinkFile;
        await waitFor(
            "the records in the sink file",
            () =>
                fs.existsSync(sinkFile) && fs.readFileSync(sinkFile, "utf8").trim().split("\n").length >= values.length
                    ? true
                    : undefined,
            {
                timeoutMs: 90_000,
            },
        );
        step(`The sink file ${sinkFile} now holds:`);
        process.stdout.write(fs.readFileSync(sinkFile, "utf8"));

        if (sink !== undefined) {
            const { db, topic } = sink;
            step(`Producing 10 keyed JSON records with schemas to ${topic}, 5 keys twice (upserts)`);
            const orders = [1, 2].flatMap((version) => [1, 2, 3, 4, 5].map((id) => orderRecord(id, version)));
            await platform.broker.produce(topic, orders);
            const table = () => db.query(`SELECT id, customer, version FROM ${topic} ORDER BY id`);
            await waitFor(
                "the rows in PostgreSQL",
                () => {
                    try {
                        const rows = table().split("\n");
                        return rows.length === 5 && rows.every((row) => row.endsWith("|2")) ? true : undefined;
                    } catch {
                        return undefined; // no table yet: the connector creates it with the first batch
                    }
                },
                { timeoutMs: 120_000 },
            );
            step(`The table ${topic} in PostgreSQL (${db.jdbcUrl}) now holds (id|customer|version):`);
            console.log(table());
        }

        const pulumiEnv = `PULUMI_BACKEND_URL=file://${platform.backend} PULUMI_CONFIG_PASSPHRASE=local-platform`;
        step("Where to look");
        console.log(`  connector status:   curl ${platform.service.url}/connectors/${SEED_CONNECTOR}/status`);
        console.log(
            `  workers:            ${platform.kubelet.endpoints().join(", ")} (each run from the Secret's ` +
                `distributed.properties)`,
        );
        console.log(`  sink file:          ${sinkFile}`);
        if (sink !== undefined) {
            console.log(
                `  database sink:      curl ${platform.service.url}/connectors/${JDBC_SINK_CONNECTOR}/status; ` +
                    `table ${sink.topic} at ${sink.db.jdbcUrl} (user ${sink.db.user}; log ${sink.db.logFile})`,
            );
        }
        console.log(
            `  Kubernetes:         KUBECONFIG=${platform.controlPlane.kubeconfigFile} (API server ` +
                `${platform.controlPlane.api.server})`,
        );
        console.log(`  stack outputs:      cd ${root} && ${pulumiEnv} ${ENGINE_BIN}/pulumi stack output -s ${STACK}`);
        const outputs = Object.fromEntries(Object.entries(up.outputs).map(([key, output]) => [key, output.value]));
        console.log(`  outputs now:        ${JSON.stringify(outputs)}`);
        console.log(`  logs:               ${platform.runDir.path}`);
        console.log(`  produce more:       the broker's plaintext listener is ${platform.broker.bootstrapServers}`);

        await waitForEnter();
        step("Tearing down: pulumi destroy (the storage topics are kept, as by default), then everything local");
        await stack.destroy({ onOutput: (text) => process.stdout.write(text) });
    } finally {
        await platform.stop();
    }
    step("Done");
}

function step(text: string): void {
    console.log(`\n==> ${text}`);
}

function waitForEnter(): Promise<void> {
    if (!process.stdin.isTTY) {
        return Promise.resolve();
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    return new Promise((resolve) =>
        rl.question("\nPress Enter to tear everything down. ", () => (rl.close(), resolve())),
    );
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
