/**
 * Runs the benchmarks and prints each as a table, ours beside the baseline measured in the same run.
 *   npm run bench                    # P1-P9 (P3 waits out Kafka's 5-minute default once; P4 runs the Pulumi CLI)
 *   npm run bench -- P1 P2           # a subset
 *   npm run bench -- --connectors 50 --runs 3 --engine-connectors 100 --sink-rows 20000 --state-runs 5
 *   npm run bench -- P4 --engine-connectors 500 --engine-from-source   # P4's program imports the repo's source
 * The tables, with the machine they ran on, are also written to bench/out/results-<time>.md.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { kafkaVersion, repoRoot } from "../test/integration/harness";
import { benchCreateToRunning } from "./p1CreateToRunning";
import { benchManyConnectors } from "./p2ManyConnectors";
import { benchFailover } from "./p3Failover";
import { benchEngine } from "./p4Engine";
import { benchJdbcSink } from "./p5JdbcSink";
import { benchMigration } from "./p6Migration";
import { benchStateChange } from "./p7StateChange";
import { benchRollingRestart } from "./p8RollingRestart";
import { benchCommitCost } from "./p9CommitCost";

function option(name: string, fallback: number): number {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function machine(): string {
    const javaLine = execFileSync("sh", ["-c", "java -version 2>&1 | head -1"], { encoding: "utf8" }).trim();
    return [
        `- when: ${new Date().toISOString()}`,
        `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ` +
            `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`,
        `- node ${process.version}, ${javaLine}, Apache Kafka ${kafkaVersion()} (broker and workers on loopback, ` +
            `-Xmx512m per JVM unless noted)`,
    ].join("\n");
}

async function main(): Promise<void> {
    const selected = process.argv.slice(2).filter((arg) => /^P\d$/.test(arg));
    const wanted = (id: string) => selected.length === 0 || selected.includes(id);
    const sections: string[] = [machine(), ""];
    console.log(sections[0] + "\n");
    if (wanted("P1")) {
        sections.push(await benchCreateToRunning(option("runs", 5)));
    }
    if (wanted("P2")) {
        sections.push(await benchManyConnectors(option("connectors", 200)));
    }
    if (wanted("P3")) {
        sections.push(await benchFailover());
    }
    if (wanted("P4")) {
        sections.push(
            await benchEngine(option("engine-connectors", 100), process.argv.includes("--engine-from-source")),
        );
    }
    if (wanted("P5")) {
        sections.push(await benchJdbcSink(option("sink-rows", 20_000)));
    }
    if (wanted("P6")) {
        sections.push(await benchMigration());
    }
    if (wanted("P7")) {
        sections.push(await benchStateChange(option("state-runs", 5)));
    }
    if (wanted("P8")) {
        sections.push(await benchRollingRestart());
    }
    if (wanted("P9")) {
        sections.push(await benchCommitCost(option("runs", 2)));
    }
    const outDir = path.join(repoRoot(), "bench", "out");
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `results-${new Date().toISOString().replace(/[:.]/g, "-")}.md`);
    fs.writeFileSync(file, sections.join("\n") + "\n");
    console.log(`written to ${file}`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
