/**
 * P4: many connectors through the real Pulumi engine (the CLI from scripts/setup-engine, an Automation API
 * inline program of Connector resources), as a user runs them: `up` registering N connectors, a `preview`
 * with nothing changed, and a `refresh`. REST calls are counted by a proxy in front of the worker.
 * Baselines, what the seed did by hand: a curl loop POSTing each connector's JSON, then polling until all
 * are RUNNING; to find out whether anything differs, a GET of every connector's config; to read the state,
 * a GET of every connector's config and status.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { Connector } from "../components/provider/connector";
import { ConnectRestClient } from "../components/rest/restClient";
import { createRunDir, startCluster, waitFor } from "../test/integration/harness";
import { FILE_SINK } from "../test/integration/support";
import { ENGINE_ROOT, engineEnv, prepareEngine } from "../test/e2e/support";
import { CountingProxy, describeCounts } from "./countingProxy";
import { ms, Row, table } from "./stats";

export async function benchEngine(count: number): Promise<string> {
    const engine = prepareEngine(["cli"]);
    if (!engine.ok) {
        return table(`P4: ${count} connectors through the real engine`, "curl loop", [
            { measure: "skipped", ours: "-", baseline: "-", note: engine.reason },
        ]);
    }
    const cluster = await startCluster({ workers: 2, groupId: "bench-p4", label: "bench-p4", heapMb: 1024 });
    const proxy = new CountingProxy(() => cluster.restUrl(0));
    try {
        await cluster.broker.createTopic({ name: "p4-in", partitions: 1 });
        const proxyUrl = await proxy.start();
        const config = { "connector.class": FILE_SINK, "tasks.max": "1", topics: "p4-in", file: "/dev/null" };
        const ours = Array.from({ length: count }, (_, i) => `p4-ours-${String(i).padStart(3, "0")}`);
        const theirs = Array.from({ length: count }, (_, i) => `p4-curl-${String(i).padStart(3, "0")}`);

        const run = createRunDir("bench-p4-engine");
        const backend = path.join(run.path, "state");
        fs.mkdirSync(backend);
        const program = async () => {
            for (const name of ours) {
                new Connector(name, { name, config, access: { url: { baseUrl: proxyUrl } }, readyTimeoutMs: 300_000 });
            }
        };
        const stack = await LocalWorkspace.createOrSelectStack(
            { projectName: "bench-p4", stackName: "bench", program },
            {
                workDir: run.path,
                pulumiCommand: await PulumiCommand.get({ root: ENGINE_ROOT }),
                envVars: engineEnv(backend, "bench"),
            },
        );
        const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; calls: Record<string, number> }> => {
            proxy.take();
            const started = performance.now();
            await work();
            return { ms: performance.now() - started, calls: proxy.take() };
        };

        const upOurs = await timed(() => stack.up());
        const previewOurs = await timed(() => stack.preview());
        const refreshOurs = await timed(() => stack.refresh());

        const curl = new ConnectRestClient({ baseUrl: proxyUrl });
        const upCurl = await timed(async () => {
            for (const name of theirs) {
                await curl.createConnector(name, config, "RUNNING");
            }
            await waitFor(
                `${count} connectors RUNNING`,
                async () => {
                    const states = await Promise.all(theirs.map((name) => curl.getConnectorStatus(name)));
                    return states.every(
                        (status) => status?.connector.state === "RUNNING" && status.tasks[0]?.state === "RUNNING",
                    )
                        ? true
                        : undefined;
                },
                { timeoutMs: 600_000, intervalMs: 500 },
            );
        });
        const compareCurl = await timed(() => Promise.all(theirs.map((name) => curl.getConnectorConfig(name))));
        const readCurl = await timed(() =>
            Promise.all(
                theirs.map(async (name) => [await curl.getConnectorConfig(name), await curl.getConnectorStatus(name)]),
            ),
        );
        await stack.destroy();

        const rows: Row[] = [
            {
                measure: `register ${count} connectors until all RUNNING`,
                ours: ms(upOurs.ms),
                baseline: ms(upCurl.ms),
                note: "ours: `pulumi up`; baseline: POST each, then poll",
            },
            { measure: "… REST calls", ours: describeCounts(upOurs.calls), baseline: describeCounts(upCurl.calls) },
            {
                measure: "nothing changed: find out",
                ours: ms(previewOurs.ms),
                baseline: ms(compareCurl.ms),
                note: "ours: `pulumi preview`; baseline: GET every config",
            },
            {
                measure: "… REST calls",
                ours: describeCounts(previewOurs.calls),
                baseline: describeCounts(compareCurl.calls),
            },
            {
                measure: "read every connector's state",
                ours: ms(refreshOurs.ms),
                baseline: ms(readCurl.ms),
                note: "ours: `pulumi refresh`; baseline: GET config + status each",
            },
            {
                measure: "… REST calls",
                ours: describeCounts(refreshOurs.calls),
                baseline: describeCounts(readCurl.calls),
            },
        ];
        return table(`P4: ${count} connectors through the real Pulumi engine (2 workers)`, "by hand (curl loop)", rows);
    } finally {
        await proxy.stop();
        await cluster.stop();
    }
}
