/**
 * `npm run demo`: the seed's pipeline end to end on this machine. A KRaft broker and two distributed
 * Connect workers on 127.0.0.1, started from the distributed.properties this library renders (group
 * local-file-sink, topics _local_file_sink.config/.offset/.status); the seed's local-file-sink connector
 * created by the real Pulumi engine through this library's connector resource; records produced to
 * szcode2.qa.avro.server and shown arriving in the sink file. No Kubernetes: the workers run as local
 * processes (see README). Enter tears everything down; without a terminal it tears down at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { execFileSync } from "node:child_process";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { Connector } from "../components/connect/connector";
import { startCluster, waitFor } from "../test/integration/harness";

const TOPIC = "szcode2.qa.avro.server";
const CONNECTOR = "local-file-sink";

async function main(): Promise<void> {
    const root = path.resolve(__dirname, "..", "..");
    step("Preparing: Apache Kafka jars from Maven Central, the Pulumi CLI from the Go module proxy (cached after the first run)");
    execFileSync(path.join(root, "scripts", "setup-engine"), ["cli"], { stdio: ["ignore", "ignore", "inherit"] });

    step("Starting a KRaft broker and 2 Connect workers from the rendered distributed.properties");
    const cluster = await startCluster({ workers: 2, groupId: "local-file-sink", label: "demo" });
    try {
        await cluster.broker.createTopic({ name: TOPIC, partitions: 3 });
        const sinkFile = path.join(cluster.runDir, "test.sink.txt");
        const backend = path.join(cluster.runDir, "pulumi-state");
        fs.mkdirSync(backend);
        const env = {
            PULUMI_BACKEND_URL: `file://${backend}`,
            PULUMI_CONFIG_PASSPHRASE: "demo",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PATH: `${path.join(root, ".cache", "engine", "bin")}:${process.env.PATH ?? ""}`,
        };
        const program = async () => {
            const connector = new Connector(CONNECTOR, {
                name: CONNECTOR,
                config: { "connector.class": "FileStreamSink", "tasks.max": "1", topics: TOPIC, file: sinkFile },
                // Sent to the second worker: forwarded to the leader at its advertised address.
                access: { url: { baseUrl: cluster.restUrl(1) } },
                readyTimeoutMs: 120_000,
            });
            return { connectorState: connector.connectorState, tasks: connector.tasks };
        };
        const stack = await LocalWorkspace.createOrSelectStack(
            { projectName: "connect-cluster-demo", stackName: "local", program },
            { workDir: cluster.runDir, pulumiCommand: await PulumiCommand.get({ root: path.join(root, ".cache", "engine") }), envVars: env },
        );

        step("pulumi up: registering the local-file-sink connector over the Connect REST API");
        await stack.up({ onOutput: (text) => process.stdout.write(text) });

        step(`Producing 10 records to ${TOPIC}`);
        const values = Array.from({ length: 10 }, (_, i) => `hello from the seed pipeline #${i + 1}`);
        await cluster.broker.produce(TOPIC, values);
        await waitFor("the records in the sink file", () => (fs.existsSync(sinkFile) && fs.readFileSync(sinkFile, "utf8").trim().split("\n").length >= values.length ? true : undefined), {
            timeoutMs: 60_000,
        });
        step(`The sink file ${sinkFile} now holds:`);
        process.stdout.write(fs.readFileSync(sinkFile, "utf8"));

        step("Where to look");
        console.log(`  REST API (worker 1):  curl ${cluster.restUrl(0)}/connectors/${CONNECTOR}/status`);
        console.log(`  REST API (worker 2):  curl ${cluster.restUrl(1)}/connectors`);
        console.log(`  sink file:            ${sinkFile}`);
        console.log(`  worker properties:    ${cluster.workers[0].propertiesFile}`);
        console.log(`  logs:                 ${cluster.runDir}`);
        console.log(`  stack outputs:        cd ${cluster.runDir} && PULUMI_BACKEND_URL=file://${backend} PULUMI_CONFIG_PASSPHRASE=demo ${env.PATH.split(":")[0]}/pulumi stack output -s local`);
        console.log(`  produce more:         the broker is at ${cluster.broker.bootstrapServers}`);

        await waitForEnter();
        step("Tearing down: pulumi destroy, then the workers and the broker");
        await stack.destroy({ onOutput: (text) => process.stdout.write(text) });
    } finally {
        await cluster.stop();
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
    return new Promise((resolve) => rl.question("\nPress Enter to tear everything down. ", () => (rl.close(), resolve())));
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
