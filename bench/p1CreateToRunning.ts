/**
 * P1: a connector's create until it and all its tasks are RUNNING. Ours: the provider's check + create
 * (validate, existence check, PUT, wait). Baseline: what the seed did, `curl -X POST` of the JSON
 * file, then polling `/status` with curl at the same 500 ms interval the provider uses.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { startCluster } from "../test/integration/harness";
import { FILE_SINK, ProviderDriver, restClient } from "../test/integration/support";
import { median, ms, Row, table } from "./stats";

const run = promisify(execFile);
const POLL_MS = 500;

export async function benchCreateToRunning(runs: number): Promise<string> {
    const cluster = await startCluster({ workers: 2, groupId: "bench-p1", label: "bench-p1" });
    try {
        await cluster.broker.createTopic({ name: "p1-in", partitions: 2 });
        const url = cluster.restUrl(0);
        const config = (name: string) => ({
            "connector.class": FILE_SINK,
            "tasks.max": "2",
            topics: "p1-in",
            file: `${cluster.runDir}/${name}.txt`,
        });
        const ours: number[] = [];
        const curl: number[] = [];
        for (let i = 0; i < runs; i++) {
            const started = performance.now();
            await new ProviderDriver(() => url).create(`p1-ours-${i}`, config(`p1-ours-${i}`));
            ours.push(performance.now() - started);

            const name = `p1-curl-${i}`;
            const file = `${cluster.runDir}/${name}.json`;
            fs.writeFileSync(file, JSON.stringify({ name, config: config(name) }));
            const curlStarted = performance.now();
            await run("curl", [
                "-sS",
                "-f",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                `${url}/connectors`,
                "--data",
                `@${file}`,
            ]);
            while (!(await curlSaysRunning(`${url}/connectors/${name}/status`))) {
                await new Promise((resolve) => setTimeout(resolve, POLL_MS));
            }
            curl.push(performance.now() - curlStarted);
        }
        const client = restClient(url);
        for (const name of await client.listConnectors()) {
            await client.deleteConnector(name);
        }
        const rows: Row[] = [
            {
                measure: `create → all tasks RUNNING, median of ${runs}`,
                ours: ms(median(ours)),
                baseline: ms(median(curl)),
                note: `ratio ${(median(ours) / median(curl)).toFixed(2)}`,
            },
            { measure: "all runs", ours: ours.map(ms).join(", "), baseline: curl.map(ms).join(", ") },
        ];
        return table(
            "P1: create a connector until it and its 2 tasks are RUNNING (2 workers)",
            "curl POST + poll /status",
            rows,
        );
    } finally {
        await cluster.stop();
    }
}

async function curlSaysRunning(statusUrl: string): Promise<boolean> {
    const { stdout } = await run("curl", ["-sS", statusUrl]);
    const status = JSON.parse(stdout) as { connector?: { state: string }; tasks?: { state: string }[] };
    return (
        status.connector?.state === "RUNNING" &&
        (status.tasks?.length ?? 0) > 0 &&
        status.tasks!.every((task) => task.state === "RUNNING")
    );
}
