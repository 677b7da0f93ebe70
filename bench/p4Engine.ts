/**
 * P4: many connectors through the real Pulumi engine (the CLI from scripts/setup-engine, an Automation API
 * inline program of Connector resources), as a user runs them: `up` registering N connectors, a `preview`
 * with nothing changed, a `refresh`, and an `up` changing one connector's config. REST calls are counted per
 * phase by a proxy in front of the worker; the peak memory (VmHWM) of the dynamic-provider process and of the CLI
 * is read from /proc while each phase runs.
 * Baselines, what the seed did by hand: a curl loop POSTing each connector's JSON, then polling until all
 * are RUNNING; to find out whether anything differs, a GET of every connector's config; to read the state,
 * a GET of every connector's config and status; to change one, PUT every connector's JSON again (the loop does
 * not know which one changed), then poll the changed one until it runs its new config.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import type { Connector as ConnectorClass } from "../components/provider/connector";
import { ConnectRestClient } from "../components/rest/restClient";
import { createRunDir, repoRoot, startCluster, waitFor } from "../test/integration/harness";
import { FILE_SINK } from "../test/integration/support";
import { ENGINE_ROOT, engineEnv, prepareEngine } from "../test/e2e/support";
import { CountingProxy, describeCounts } from "./countingProxy";
import { DYNAMIC_PROVIDER, PeakMemorySampler, PULUMI_CLI } from "./processMemory";
import { inParallel } from "./inParallel";
import { ms, Row, table } from "./stats";

interface Phase {
    readonly ms: number;
    readonly calls: Record<string, number>;
    readonly memory: ReturnType<PeakMemorySampler["take"]>;
}

/**
 * The library as a user's project has it: the built dist/components copied to node_modules/@connectcluster/pulumi
 * beside @pulumi/pulumi (the dynamic-provider process resolves the provider's modules from there). The engine then
 * serializes the dynamic provider as `require()` calls of that package (about 15 KB in each resource's inputs and
 * again in its outputs) instead of its whole code (about 110 KB each), as for a program importing ../components
 * from this repository's source; `fromSource` measures the latter. Removed again by `uninstallPackage`.
 */
async function connectorClass(fromSource: boolean): Promise<typeof ConnectorClass> {
    if (fromSource) {
        return (await import("../components/provider/connector")).Connector;
    }
    uninstallPackage();
    fs.mkdirSync(path.join(INSTALLED, "dist"), { recursive: true });
    fs.cpSync(path.join(repoRoot(), "dist", "components"), path.join(INSTALLED, "dist", "components"), {
        recursive: true,
    });
    fs.copyFileSync(path.join(repoRoot(), "package.json"), path.join(INSTALLED, "package.json"));
    const file = path.join(INSTALLED, "dist", "components", "provider", "connector.js");
    return ((await import(file)) as { Connector: typeof ConnectorClass }).Connector;
}

const INSTALLED = path.join(repoRoot(), "node_modules", "@connectcluster", "pulumi");

function uninstallPackage(): void {
    fs.rmSync(path.dirname(INSTALLED), { recursive: true, force: true });
}

export async function benchEngine(count: number, fromSource = false): Promise<string> {
    const title =
        `P4: ${count} connectors through the real Pulumi engine (2 workers, ` +
        `${fromSource ? "program importing the repository's source" : "library installed as a package"})`;
    const engine = prepareEngine(["cli"]);
    if (!engine.ok) {
        return table(title, "curl loop", [{ measure: "skipped", ours: "-", baseline: "-", note: engine.reason }]);
    }
    const cluster = await startCluster({ workers: 2, groupId: "bench-p4", label: "bench-p4", heapMb: 1024 });
    const proxy = new CountingProxy(() => cluster.restUrl(0));
    const memory = new PeakMemorySampler([DYNAMIC_PROVIDER, PULUMI_CLI]);
    memory.start();
    try {
        await cluster.broker.createTopic({ name: "p4-in", partitions: 1 });
        const proxyUrl = await proxy.start();
        const run = createRunDir("bench-p4-engine");
        const configFor = (file = "/dev/null") => ({
            "connector.class": FILE_SINK,
            "tasks.max": "1",
            topics: "p4-in",
            file,
        });
        const changedFile = path.join(run.path, "changed.txt");
        const curlChangedFile = path.join(run.path, "changed-curl.txt");
        const width = String(count - 1).length;
        const ours = Array.from({ length: count }, (_, i) => `p4-ours-${String(i).padStart(width, "0")}`);
        const theirs = Array.from({ length: count }, (_, i) => `p4-curl-${String(i).padStart(width, "0")}`);
        const changedIndex = Math.floor(count / 2);

        const Connector = await connectorClass(fromSource);
        const backend = path.join(run.path, "state");
        fs.mkdirSync(backend);
        let changeOne = false;
        const program = async () => {
            ours.forEach((name, i) => {
                const config = changeOne && i === changedIndex ? configFor(changedFile) : configFor();
                new Connector(name, { name, config, access: { url: { baseUrl: proxyUrl } }, readyTimeoutMs: 600_000 });
            });
        };
        const stack = await LocalWorkspace.createOrSelectStack(
            { projectName: "bench-p4", stackName: "bench", program },
            {
                workDir: run.path,
                pulumiCommand: await PulumiCommand.get({ root: ENGINE_ROOT }),
                envVars: engineEnv(backend, "bench"),
            },
        );
        const timed = async (label: string, work: () => Promise<unknown>): Promise<Phase> => {
            proxy.take();
            memory.take();
            const started = performance.now();
            await work();
            const phase = { ms: performance.now() - started, calls: proxy.take(), memory: memory.take() };
            console.log(
                `P4 ${label}: ${ms(phase.ms)}, ${describeCounts(phase.calls)}, ${JSON.stringify(phase.memory)}`,
            );
            return phase;
        };

        const upOurs = await timed("up", () => stack.up());
        const previewOurs = await timed("preview", () => stack.preview());
        const refreshOurs = await timed("refresh", () => stack.refresh());
        changeOne = true;
        const changeOurs = await timed("change one", () => stack.up());
        if (!fs.existsSync(changedFile)) {
            throw new Error(`the changed connector's task did not open ${changedFile}`);
        }
        const stateFile = fs
            .readdirSync(backend, { recursive: true, encoding: "utf8" })
            .find((file) => file.endsWith("bench.json"));
        const stateMiB = stateFile === undefined ? 0 : fs.statSync(path.join(backend, stateFile)).size / 2 ** 20;

        const curl = new ConnectRestClient({ baseUrl: proxyUrl });
        const allRunning = async (names: readonly string[]) => {
            const states = await Promise.all(names.map((name) => curl.getConnectorStatus(name)));
            return states.every((s) => s?.connector.state === "RUNNING" && s.tasks[0]?.state === "RUNNING");
        };
        const upCurl = await timed("curl register", async () => {
            for (const name of theirs) {
                await curl.createConnector(name, configFor(), "RUNNING");
            }
            await waitFor(`${count} connectors RUNNING`, async () => ((await allRunning(theirs)) ? true : undefined), {
                timeoutMs: 1_200_000,
                intervalMs: 500,
            });
        });
        const compareCurl = await timed("curl compare", () =>
            Promise.all(theirs.map((name) => curl.getConnectorConfig(name))),
        );
        const readCurl = await timed("curl read", () =>
            Promise.all(
                theirs.map(async (name) => [await curl.getConnectorConfig(name), await curl.getConnectorStatus(name)]),
            ),
        );
        const changeCurl = await timed("curl change one", async () => {
            await inParallel(theirs, 10, (name) =>
                curl.putConnectorConfig(name, name === theirs[changedIndex] ? configFor(curlChangedFile) : configFor()),
            );
            // FileStreamSinkTask opens (creates) its file in start(): the task runs the new config.
            await waitFor(
                "the changed connector's task started",
                () => (fs.existsSync(curlChangedFile) ? true : undefined),
                {
                    timeoutMs: 600_000,
                    intervalMs: 100,
                },
            );
        });
        await stack.destroy();

        const rows: Row[] = [
            ...phaseRows(
                `register ${count} connectors until all RUNNING`,
                upOurs,
                upCurl,
                "`pulumi up`",
                "POST each, then poll",
            ),
            ...phaseRows("nothing changed: find out", previewOurs, compareCurl, "`pulumi preview`", "GET every config"),
            ...phaseRows(
                "read every connector's state",
                refreshOurs,
                readCurl,
                "`pulumi refresh`",
                "GET config + status each",
            ),
            ...phaseRows(
                "change 1 connector's config until it runs it",
                changeOurs,
                changeCurl,
                "`pulumi up`",
                `PUT all ${count} configs (10 at a time), until the changed task opened its file`,
            ),
            {
                measure: "state file after the change",
                ours: `${stateMiB.toFixed(1)} MiB`,
                baseline: "-",
                note: `load average at the end: ${os
                    .loadavg()
                    .map((l) => l.toFixed(1))
                    .join(", ")}`,
            },
        ];
        return table(title, "by hand (curl loop)", rows);
    } finally {
        uninstallPackage();
        memory.stop();
        await proxy.stop();
        await cluster.stop();
    }
}

/** Wall time, REST calls and (for ours) peak memory of one phase, ours beside the baseline. */
function phaseRows(measure: string, ours: Phase, baseline: Phase, oursHow: string, baselineHow: string): Row[] {
    const provider = ours.memory[DYNAMIC_PROVIDER.label];
    const cli = ours.memory[PULUMI_CLI.label];
    return [
        { measure, ours: ms(ours.ms), baseline: ms(baseline.ms), note: `ours: ${oursHow}; baseline: ${baselineHow}` },
        { measure: "… REST calls", ours: describeCounts(ours.calls), baseline: describeCounts(baseline.calls) },
        {
            measure: "… peak memory (VmHWM)",
            ours: `provider ${provider.peakMiB} MiB, CLI ${cli.peakMiB} MiB`,
            baseline: "-",
            note: `${provider.processes} provider process(es) seen`,
        },
    ];
}
