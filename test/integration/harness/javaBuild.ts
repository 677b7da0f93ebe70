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

/**
 * Compiles Java `sources` (path under the source root → text) against Kafka's runtime classpath into
 * `outDir` (a plugin folder for plugin.path), writes `resources` (e.g. META-INF/services manifests) beside
 * the classes, then deletes the compiled classes named in `drop`: how a test builds a broken plugin whose
 * classes reference one missing from its folder.
 */
export function compileJavaInto(
    outDir: string,
    sources: Readonly<Record<string, string>>,
    options: { readonly resources?: Readonly<Record<string, string>>; readonly drop?: readonly string[] } = {},
): string {
    const sourceDir = `${outDir}.src`;
    fs.rmSync(sourceDir, { recursive: true, force: true });
    const files = Object.entries(sources).map(([relative, text]) => {
        const file = path.join(sourceDir, relative);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
        return file;
    });
    fs.mkdirSync(outDir, { recursive: true });
    execFileSync(
        JAVAC,
        ["-nowarn", "-encoding", "UTF-8", "-cp", runtimeClasspath(kafkaLibs()), "-d", outDir, ...files],
        { stdio: ["ignore", "inherit", "inherit"], timeout: 120_000 },
    );
    for (const [relative, text] of Object.entries(options.resources ?? {})) {
        fs.mkdirSync(path.dirname(path.join(outDir, relative)), { recursive: true });
        fs.writeFileSync(path.join(outDir, relative), text);
    }
    for (const relative of options.drop ?? []) {
        fs.rmSync(path.join(outDir, relative));
    }
    return outDir;
}
