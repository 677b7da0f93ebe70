/**
 * P7: moving a connector between states, until Connect shows the new state. Ours: the provider's diff + update
 * with a new declared `state` (PUT /pause, /resume or /stop, then its wait: PAUSED with every task PAUSED,
 * STOPPED with no task, RUNNING and stable for 1 s). Baseline: curl PUT of the same call, then polling /status
 * with curl every 250 ms (the provider's poll interval) until the same condition holds once.
 */
import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { connectorProvider, ConnectorOutputs, DesiredState } from "../components/provider/connectorProvider";
import { startCluster } from "../test/integration/harness";
import { FILE_SINK, ProviderDriver } from "../test/integration/support";
import { median, ms, Row, table } from "./stats";

const run = promisify(execFile);
const POLL_MS = 250;
const provider = connectorProvider as Required<typeof connectorProvider>;
const MOVES: readonly { readonly state: DesiredState; readonly call: string }[] = [
    { state: "paused", call: "pause" },
    { state: "running", call: "resume" },
    { state: "stopped", call: "stop" },
    { state: "running", call: "resume" },
];

export async function benchStateChange(runs: number): Promise<string> {
    const cluster = await startCluster({ workers: 2, groupId: "bench-p7", label: "bench-p7" });
    try {
        await cluster.broker.createTopic({ name: "p7-in", partitions: 2 });
        const url = cluster.restUrl(0);
        const driver = new ProviderDriver(() => url);
        const config = (name: string) => ({
            "connector.class": FILE_SINK,
            "tasks.max": "2",
            topics: "p7-in",
            file: `${cluster.runDir}/${name}.txt`,
        });
        let olds: ConnectorOutputs = await driver.create("p7-ours", config("p7-ours"));
        await driver.create("p7-curl", config("p7-curl"));
        const ours = new Map<string, number[]>();
        const curl = new Map<string, number[]>();
        const record = (map: Map<string, number[]>, key: string, value: number) =>
            map.set(key, [...(map.get(key) ?? []), value]);
        for (let i = 0; i < runs; i++) {
            for (const [index, move] of MOVES.entries()) {
                const key = index === 3 ? "resume from stopped" : move.call;
                const news = { ...driver.inputs("p7-ours", olds.config), state: move.state };
                const started = performance.now();
                const diff = await provider.diff("p7-ours", olds, news);
                if (!diff.changes) {
                    throw new Error(`P7: the provider saw no change for state ${move.state}`);
                }
                olds = (await provider.update("p7-ours", olds, news)).outs!;
                record(ours, key, performance.now() - started);

                const curlStarted = performance.now();
                await run("curl", ["-sS", "-f", "-X", "PUT", `${url}/connectors/p7-curl/${move.call}`]);
                while (!(await curlSaysState(`${url}/connectors/p7-curl/status`, move.state))) {
                    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
                }
                record(curl, key, performance.now() - curlStarted);
            }
        }
        const rows: Row[] = [...ours.keys()].map((key) => ({
            measure: `${key}, median of ${ours.get(key)!.length} (all: ${ours.get(key)!.map(ms).join(", ")} vs ${curl
                .get(key)!
                .map(ms)
                .join(", ")})`,
            ours: ms(median(ours.get(key)!)),
            baseline: ms(median(curl.get(key)!)),
            note: `ratio ${(median(ours.get(key)!) / median(curl.get(key)!)).toFixed(2)}`,
        }));
        return table(
            "P7: pause / resume / stop a connector with 2 tasks until Connect shows the state (2 workers)",
            "curl PUT + poll /status",
            rows,
        );
    } finally {
        await cluster.stop();
    }
}

async function curlSaysState(statusUrl: string, state: DesiredState): Promise<boolean> {
    const { stdout } = await run("curl", ["-sS", statusUrl]);
    const status = JSON.parse(stdout) as { connector?: { state: string }; tasks?: { state: string }[] };
    const tasks = status.tasks ?? [];
    switch (state) {
        case "paused":
            return status.connector?.state === "PAUSED" && tasks.every((task) => task.state === "PAUSED");
        case "stopped":
            return status.connector?.state === "STOPPED" && tasks.length === 0;
        case "running":
            return (
                status.connector?.state === "RUNNING" && tasks.length > 0 && tasks.every((t) => t.state === "RUNNING")
            );
    }
}
