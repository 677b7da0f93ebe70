/**
 * `npm run demo`: `pulumi up` of this repository's project (Pulumi.yaml, stacks/index.ts: the seed's deployment) end
 * to end on this machine, through the real Pulumi engine: the three storage topics in a real KRaft broker (over SASL,
 * the stack's Kafka credentials being Pulumi secrets), the Secret, Deployment, Service, PDB and NetworkPolicy in a
 * real kube-apiserver, two Connect workers, and the seed's local-file-sink connector registered over the REST API.
 * Then 10 records go through into the sink file, "where to look" is printed, and Enter tears everything down (at once
 * without a terminal).
 *
 * Who runs the workers: the real node (scripts/demo/realNode.ts: kubelet, containerd, kube-proxy; real pods of the
 * scripts/build-images image) when it can be started here, else the stand-in (scripts/demo/standIn.ts: LocalKubelet
 * runs them as local processes), saying why. CONNECTCLUSTER_DEMO_NODE=real or =standin forces one. The database sink
 * (PostgreSQL, the Debezium JDBC sink plugin) runs on the stand-in only, for now.
 */
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { SEED_TOPIC } from "../stacks/seedStack";
import { prepareRealNodePlatform } from "../test/e2e/fixtures/realNodePlatform";
import {
    DemoPlatform,
    produceSeedRecords,
    SEED_VALUES,
    showDatabaseSink,
    STACK,
    stackOutputLine,
    step,
    upTimed,
    waitForEnter,
} from "./demo/common";
import { DEMO_NODE_VAR, demoNode, DemoNode } from "./demo/platformChoice";
import { startRealNodeDemo } from "./demo/realNode";
import { startStandIn } from "./demo/standIn";

async function main(): Promise<void> {
    const root = path.resolve(__dirname, "..", "..");
    const wanted = demoNode(process.env[DEMO_NODE_VAR]);
    step(
        "Preparing: Kafka jars from Maven Central; the Pulumi CLI, its Node.js language host, its Kubernetes and " +
            "Kafka providers, etcd and kube-apiserver from the Go module proxy (cached after the first run)",
    );
    execFileSync(path.join(root, "scripts", "setup-engine"), ["all"], { stdio: ["ignore", "ignore", "inherit"] });

    const platform = await startPlatform(wanted);
    try {
        step(
            `pulumi up -s ${STACK} in ${root} (Pulumi.yaml, stacks/index.ts): topics, Kubernetes objects, workers, ` +
                `connector`,
        );
        const { outputs } = await upTimed(platform);
        await produceSeedRecords(platform.broker, SEED_TOPIC);
        await platform.showSinkFile(SEED_VALUES);
        if (platform.databaseSink !== undefined) {
            await showDatabaseSink(platform.broker, platform.databaseSink);
        }
        step("Where to look");
        for (const line of await platform.whereToLook()) {
            console.log(line);
        }
        console.log(stackOutputLine(platform, root));
        console.log(`  outputs now:        ${JSON.stringify(outputs)}`);

        await waitForEnter();
        step("Tearing down: pulumi destroy (the storage topics are kept, as by default), then everything local");
        await platform.stack.destroy({ onOutput: (text) => process.stdout.write(text) });
    } finally {
        await platform.stop();
    }
    step("Done");
}

/** The real node when wanted and possible, else the stand-in; a forced real node that cannot start is an error. */
async function startPlatform(wanted: DemoNode): Promise<DemoPlatform> {
    if (wanted === "standin") {
        step(`The stand-in kubelet, as ${DEMO_NODE_VAR}=standin asks`);
        return startStandIn();
    }
    step(
        "Trying the real node: root, its binaries (scripts/setup-engine) and packages (scripts/setup-node), the " +
            "Connect image (scripts/build-images connect, cached)",
    );
    const prepared = prepareRealNodePlatform();
    let reason: string;
    if (prepared.ok) {
        try {
            return await startRealNodeDemo(prepared);
        } catch (error) {
            reason = `the real node did not start: ${(error as Error).message.split("\n")[0]}`;
        }
    } else {
        reason = prepared.reason;
    }
    if (wanted === "real") {
        throw new Error(`${DEMO_NODE_VAR}=real, but ${reason}`);
    }
    step(`No real node: ${reason}. Falling back to the stand-in kubelet (${DEMO_NODE_VAR}=standin skips this check)`);
    return startStandIn();
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
