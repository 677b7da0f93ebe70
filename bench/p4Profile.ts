/**
 * Where a no-change `pulumi preview` of N connectors spends its time. P4's setup (a KRaft broker, 2 Connect workers,
 * the library installed as a package), but the program is a local project's `index.js` run by the nodejs language
 * host, as a user's is, so the CLI can be run by hand beside it. It brings the stack `up`, runs `previews` no-change
 * previews, printing each one's wall time and the CPU time of the CLI, the program and the dynamic provider, then
 * prints the environment to run the CLI with (for profiling: `--profiling`, a CPU profile of the node processes)
 * and waits until it is interrupted (SIGINT / SIGTERM), then stops the cluster.
 *   npm run build && [P4_COMPONENTS=<another dist/components>] [P4_COMPARE=<another dist/components>] \
 *       node dist/bench/p4Profile.js <connectors> [previews]
 * With P4_COMPARE, each preview is run with both builds in turn (the other one copied over the installed one): two
 * builds of the library side by side in one run, on one stack. With P4_PLAIN=1, each round also previews as many
 * plain dynamic resources of the same shape with a do-nothing provider (p4Programs.ts), in a second project; with
 * P4_PARALLEL_DIFF=1, a preview of the first build with the engine's PULUMI_PARALLEL_DIFF=true.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createRunDir, repoRoot, startCluster } from "../test/integration/harness";
import { ENGINE_BIN, engineEnv, prepareEngine } from "../test/e2e/support";
import { CpuSampler, PROGRAM } from "./processCpu";
import { connectorProgramText, plainProgramText } from "./p4Programs";
import { DYNAMIC_PROVIDER, PULUMI_CLI } from "./processMemory";

function loadAverage(): string {
    return os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(", ");
}

function cpuText(seconds: Record<string, number>): string {
    return Object.entries(seconds)
        .map(([kind, s]) => `${kind} ${s.toFixed(2)} s`)
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
    fs.writeFileSync(path.join(project, "index.js"), connectorProgramText(installed));
    const env: Record<string, string> = {
        ...engineEnv(backend, "bench"),
        P4_COUNT: String(count),
        P4_URL: cluster.restUrl(0),
        PULUMI_STACK: "bench",
    };
    const pulumiIn = (cwd: string, args: string[], extraEnv: Record<string, string> = {}) =>
        new Promise<void>((resolve, reject) => {
            const child = spawn(path.join(ENGINE_BIN, "pulumi"), args, {
                cwd,
                env: { ...process.env, ...env, ...extraEnv },
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
    const pulumi = (args: string[]) => pulumiIn(project, args);
    await pulumi(["stack", "init", "bench"]);
    const upCpu = new CpuSampler([PULUMI_CLI, PROGRAM, DYNAMIC_PROVIDER]);
    upCpu.start();
    let started = performance.now();
    await pulumi(["up", "--yes", "--skip-preview", "--suppress-progress"]);
    const upWall = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`up of ${count}: ${upWall} s; CPU: ${cpuText(upCpu.stop())} (load ${loadAverage()})`);
    const builds: { label: string; cwd: string; dir: string; env?: Record<string, string> }[] = [
        { label: "", cwd: project, dir: components },
    ];
    if (process.env.P4_COMPARE) {
        builds[0].label = ` [${components}]`;
        builds.push({ label: ` [${process.env.P4_COMPARE}]`, cwd: project, dir: process.env.P4_COMPARE });
    }
    if (process.env.P4_PARALLEL_DIFF) {
        const env = { PULUMI_PARALLEL_DIFF: "true" };
        builds.push({ label: ` [${components}, PULUMI_PARALLEL_DIFF=true]`, cwd: project, dir: components, env });
    }
    if (process.env.P4_PLAIN) {
        const plain = run.file("plain");
        fs.mkdirSync(plain);
        fs.writeFileSync(path.join(plain, "Pulumi.yaml"), "name: p4plain\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(plain, "index.js"), plainProgramText());
        await pulumiIn(plain, ["stack", "init", "bench"]);
        await pulumiIn(plain, ["up", "--yes", "--skip-preview", "--suppress-progress"]);
        builds.push({ label: " [plain dynamic resources, do-nothing provider]", cwd: plain, dir: "" });
    }
    for (let i = 0; i < previews; i++) {
        for (const build of builds) {
            if (build.dir !== "" && builds.filter((b) => b.dir !== "").length > 1) {
                const target = path.join(installed, "dist", "components");
                fs.rmSync(target, { recursive: true });
                fs.cpSync(build.dir, target, { recursive: true });
            }
            const cpu = new CpuSampler([PULUMI_CLI, PROGRAM, DYNAMIC_PROVIDER]);
            cpu.start();
            const load = loadAverage();
            started = performance.now();
            await pulumiIn(build.cwd, ["preview", "--suppress-progress", "--non-interactive"], build.env);
            const wall = (performance.now() - started) / 1000;
            const seconds = cpuText(cpu.stop());
            console.log(
                `preview ${i + 1}${build.label}: ${wall.toFixed(1)} s wall; CPU: ${seconds} (load ${load} before)`,
            );
        }
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
