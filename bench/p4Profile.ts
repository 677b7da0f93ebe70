/**
 * Where a no-change `pulumi preview` of N connectors spends its time. P4's setup (a KRaft broker, 2 Connect workers,
 * the library installed as a package), but the program is a local project's `index.js` run by the nodejs language
 * host, as a user's is, so the CLI can be run by hand beside it. It brings the stack `up`, runs `previews` no-change
 * previews, printing each one's wall time and the CPU time of the CLI, the program and the dynamic provider, then
 * prints the environment to run the CLI with (for profiling: `--profiling`, a CPU profile of the node processes)
 * and waits until it is interrupted (SIGINT / SIGTERM), then stops the cluster.
 *   npm run build && [P4_COMPONENTS=<another dist/components>] node dist/bench/p4Profile.js <connectors> [previews]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createRunDir, repoRoot, startCluster } from "../test/integration/harness";
import { FILE_SINK } from "../test/integration/support";
import { ENGINE_BIN, engineEnv, prepareEngine } from "../test/e2e/support";
import { CpuSampler, PROGRAM } from "./processCpu";
import { DYNAMIC_PROVIDER, PULUMI_CLI } from "./processMemory";

/** The program, requiring the installed package by its path (a bare name would resolve to this repository). */
function programText(installed: string): string {
    const connectorModule = path.join(installed, "dist", "components", "provider", "connector.js");
    return `"use strict";
const { Connector } = require(${JSON.stringify(connectorModule)});
const count = Number(process.env.P4_COUNT);
const width = String(count - 1).length;
for (let i = 0; i < count; i++) {
    const name = "p4-ours-" + String(i).padStart(width, "0");
    const config = {
        "connector.class": ${JSON.stringify(FILE_SINK)}, "tasks.max": "1", topics: "p4-in", file: "/dev/null",
    };
    new Connector(name, { name, config, access: { url: { baseUrl: process.env.P4_URL } }, readyTimeoutMs: 600000 });
}
`;
}

function loadAverage(): string {
    return os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(", ");
}

async function main(): Promise<void> {
    const count = Number(process.argv[2] ?? "150");
    const previews = Number(process.argv[3] ?? "2");
    const engine = prepareEngine(["cli"]);
    if (!engine.ok) {
        throw new Error(engine.reason);
    }
    const cluster = await startCluster({ workers: 2, groupId: "bench-p4p", label: "bench-p4-profile", heapMb: 1024 });
    const stop = async () => {
        await cluster.stop();
        process.exit(0);
    };
    process.on("SIGINT", () => void stop());
    process.on("SIGTERM", () => void stop());
    const run = createRunDir("bench-p4-profile");
    const project = run.file("project");
    const backend = run.file("state");
    fs.mkdirSync(project);
    fs.mkdirSync(backend);
    // Installed in the project's own node_modules (so runs can go side by side): @pulumi/pulumi is found above it.
    const installed = path.join(project, "node_modules", "@connectcluster", "pulumi");
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: p4profile\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(project, "index.js"), programText(installed));
    const env: Record<string, string> = {
        ...engineEnv(backend, "bench"),
        P4_COUNT: String(count),
        P4_URL: cluster.restUrl(0),
        PULUMI_STACK: "bench",
    };
    const pulumi = (args: string[]) =>
        new Promise<void>((resolve, reject) => {
            const child = spawn(path.join(ENGINE_BIN, "pulumi"), args, {
                cwd: project,
                env: { ...process.env, ...env },
                stdio: ["ignore", "ignore", "inherit"],
            });
            child.on("error", reject);
            child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pulumi ${args[0]}: exit ${code}`))));
        });
    await cluster.broker.createTopic({ name: "p4-in", partitions: 1 });
    // P4_COMPONENTS: another build of dist/components (e.g. an earlier commit's), to compare.
    const components = process.env.P4_COMPONENTS ?? path.join(repoRoot(), "dist", "components");
    fs.cpSync(components, path.join(installed, "dist", "components"), { recursive: true });
    fs.copyFileSync(path.join(repoRoot(), "package.json"), path.join(installed, "package.json"));
    await pulumi(["stack", "init", "bench"]);
    let started = performance.now();
    await pulumi(["up", "--yes", "--skip-preview", "--suppress-progress"]);
    console.log(`up of ${count}: ${((performance.now() - started) / 1000).toFixed(1)} s (load ${loadAverage()})`);
    for (let i = 0; i < previews; i++) {
        const cpu = new CpuSampler([PULUMI_CLI, PROGRAM, DYNAMIC_PROVIDER]);
        cpu.start();
        const load = loadAverage();
        started = performance.now();
        await pulumi(["preview", "--suppress-progress", "--non-interactive"]);
        const wall = (performance.now() - started) / 1000;
        const seconds = Object.entries(cpu.stop())
            .map(([kind, s]) => `${kind} ${s.toFixed(2)} s`)
            .join(", ");
        console.log(`preview ${i + 1}: ${wall.toFixed(1)} s wall; CPU: ${seconds} (load ${load} before)`);
    }
    const envFile = run.file("env.sh");
    const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}'`);
    fs.writeFileSync(envFile, [...exports, `cd '${project}'`, ""].join("\n"));
    console.log(`ready: . ${envFile} && pulumi preview`);
    setInterval(() => undefined, 60_000); // keeps the process (and with it the cluster) until a signal
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
