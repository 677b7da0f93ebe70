/**
 * Compiles the harness's own Java programs (java/HarnessLauncher.java, java/KafkaTool.java) once,
 * into .cache/harness-java/<hash of sources and jars>/, and builds the JVM command lines.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { kafkaLibs, repoRoot, runtimeClasspath } from "./kafkaJars";

export const JAVA = process.env.HARNESS_JAVA ?? "java";
const JAVAC = process.env.HARNESS_JAVAC ?? "javac";

let cachedClasses: string | undefined;

/**
 * The folder of compiled harness classes; compiles them the first time (about 2 s). Always against the newest
 * Kafka's jars: the harness's own clients (KafkaTool, SteadyProducer) are the newest, whatever Kafka version the
 * broker and workers under test run (HarnessLauncher, which starts those, needs only the JDK).
 */
export function harnessClasses(): string {
    if (cachedClasses !== undefined) {
        return cachedClasses;
    }
    const libs = kafkaLibs();
    const sourceDir = path.join(repoRoot(), "test", "integration", "harness", "java");
    const sources = fs
        .readdirSync(sourceDir)
        .filter((name) => name.endsWith(".java"))
        .sort()
        .map((name) => path.join(sourceDir, name));
    const hash = createHash("sha256");
    hash.update(libs);
    for (const source of sources) {
        hash.update(source).update(fs.readFileSync(source));
    }
    const out = path.join(repoRoot(), ".cache", "harness-java", hash.digest("hex").slice(0, 16));
    if (!fs.existsSync(out)) {
        // Compile into a private folder and rename it into place, so test files running in
        // parallel never see (or delete) a half-written folder.
        const scratch = `${out}.tmp-${process.pid}`;
        fs.rmSync(scratch, { recursive: true, force: true });
        fs.mkdirSync(scratch, { recursive: true });
        execFileSync(
            JAVAC,
            ["-nowarn", "-encoding", "UTF-8", "-cp", runtimeClasspath(libs), "-d", scratch, ...sources],
            {
                stdio: ["ignore", "inherit", "inherit"],
                timeout: 120_000,
            },
        );
        try {
            fs.renameSync(scratch, out);
        } catch (error) {
            fs.rmSync(scratch, { recursive: true, force: true });
            if (!fs.existsSync(out)) {
                throw error;
            }
        }
    }
    cachedClasses = out;
    return out;
}

export interface JvmOptions {
    /** Maximum heap in MiB (default 512). */
    readonly heapMb?: number;
    /** Whose jars are on the classpath (default: the newest supported Kafka). */
    readonly kafkaVersion?: string;
    /** The log4j2 configuration file and the file it should write (see runDir.ts). */
    readonly log4jConfig: string;
    readonly logFile: string;
    readonly systemProperties?: Readonly<Record<string, string>>;
}

/**
 * The `java` arguments that run `mainClass` under HarnessLauncher's parent-death watchdog.
 * Serial GC and C1-only JIT: faster start-up and less CPU on a small machine, plenty for tests.
 */
export function javaArgs(mainClass: string, args: readonly string[], options: JvmOptions): string[] {
    const properties = {
        ...options.systemProperties,
        "log4j2.configurationFile": options.log4jConfig,
        "harness.log.file": options.logFile,
    };
    return [
        `-Xmx${options.heapMb ?? 512}m`,
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true",
        ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
        "-cp",
        runtimeClasspath(kafkaLibs(options.kafkaVersion), [harnessClasses()]),
        "HarnessLauncher",
        mainClass,
        ...args,
    ];
}
