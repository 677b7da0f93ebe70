/**
 * The Apache Kafka jars of each version the harness runs (scripts/fetch-kafka) and the classpaths built from them.
 * Every function taking a version defaults to the newest supported one, scripts/kafka/pom.xml's kafka.version.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root: the nearest folder above this file that holds scripts/fetch-kafka. */
export function repoRoot(): string {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "scripts", "fetch-kafka"))) {
        const parent = path.dirname(dir);
        if (parent === dir) {
            throw new Error(`harness: no scripts/fetch-kafka above ${__dirname}`);
        }
        dir = parent;
    }
    return dir;
}

/**
 * The oldest Kafka the component supports: 3.9 is the first with the `/health` endpoint the pod probes use
 * (KIP-1017), and 3.9.1 the newest 3.9 release Maven Central serves every harness artifact of (README,
 * "Supported Kafka versions"). test/integration/oldestKafka.test.ts runs the core scenarios on it.
 */
export const OLDEST_KAFKA = "3.9.1";

/** The newest supported Kafka, the harness default: scripts/kafka/pom.xml's kafka.version. */
export function newestKafka(): string {
    const pom = fs.readFileSync(path.join(repoRoot(), "scripts", "kafka", "pom.xml"), "utf8");
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
    if (version === undefined) {
        throw new Error("harness: scripts/kafka/pom.xml has no <kafka.version>");
    }
    return version;
}

const cachedLibs = new Map<string, string>();

/**
 * Runs scripts/fetch-kafka once per process and version (it is itself cached on disk) and returns the libs
 * folder of that Kafka version (default: the newest supported).
 */
export function kafkaLibs(version: string = newestKafka()): string {
    let libs = cachedLibs.get(version);
    if (libs === undefined) {
        const output = execFileSync(path.join(repoRoot(), "scripts", "fetch-kafka"), [version], {
            encoding: "utf8",
            stdio: ["ignore", "pipe", "inherit"],
            timeout: 15 * 60_000,
        });
        libs = output.trim().split("\n").pop() ?? "";
        if (
            libs === "" ||
            !fs.existsSync(libs) ||
            !fs.readdirSync(libs).some((name) => name.startsWith("kafka-clients-"))
        ) {
            throw new Error(`harness: scripts/fetch-kafka printed "${libs}", which is not a libs folder`);
        }
        cachedLibs.set(version, libs);
    }
    return libs;
}

/** The Kafka version of the fetched jars, read from the kafka-clients jar name. */
export function kafkaVersion(libs: string = kafkaLibs()): string {
    const jar = fs.readdirSync(libs).find((name) => /^kafka-clients-.+\.jar$/.test(name));
    if (jar === undefined) {
        throw new Error(`harness: no kafka-clients jar in ${libs}`);
    }
    return jar.replace(/^kafka-clients-/, "").replace(/\.jar$/, "");
}

/**
 * The connect-file jar (FileStreamSource/FileStreamSink). Kafka has kept it off the runtime classpath
 * since 3.2, so workers must find it through plugin.path, as they would in a real image.
 */
export function connectFilePluginJar(libs: string = kafkaLibs()): string {
    const jar = fs.readdirSync(libs).find((name) => /^connect-file-.+\.jar$/.test(name));
    if (jar === undefined) {
        throw new Error(`harness: no connect-file jar in ${libs}`);
    }
    return path.join(libs, jar);
}

/**
 * A plugin.path entry holding MirrorMaker 2's connectors (connect-mirror and connect-mirror-client, which the
 * apache/kafka image has in /opt/kafka/libs) as one plugin folder: the Connect runtime jars do not include them.
 * Fetched once from Maven Central (at the version of `libs`) into a `plugins` folder beside `libs`.
 */
export function connectMirrorPluginPath(libs: string = kafkaLibs()): string {
    const version = kafkaVersion(libs);
    const plugins = path.join(path.dirname(libs), "plugins");
    const dir = path.join(plugins, "connect-mirror");
    const artifacts = ["connect-mirror", "connect-mirror-client"];
    if (!artifacts.every((artifact) => fs.existsSync(path.join(dir, `${artifact}-${version}.jar`)))) {
        // Into a scratch folder first, so a concurrent reader never sees half a plugin.
        const scratch = fs.mkdtempSync(path.join(path.dirname(libs), "plugins-"));
        for (const artifact of artifacts) {
            execFileSync(
                "mvn",
                [
                    "-q",
                    "-B",
                    "dependency:copy",
                    `-Dartifact=org.apache.kafka:${artifact}:${version}`,
                    `-DoutputDirectory=${path.join(scratch, "connect-mirror")}`,
                ],
                {
                    cwd: scratch,
                    stdio: ["ignore", "inherit", "inherit"],
                    timeout: 10 * 60_000,
                    env: process.env,
                },
            );
        }
        fs.mkdirSync(plugins, { recursive: true });
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(path.join(scratch, "connect-mirror"), dir);
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    return plugins;
}

/**
 * A JVM classpath: every jar in libs except the plugin jars (which workers load from plugin.path),
 * after the given extra entries.
 */
export function runtimeClasspath(libs: string, extra: readonly string[] = []): string {
    const plugin = path.basename(connectFilePluginJar(libs));
    const jars = fs
        .readdirSync(libs)
        .filter((name) => name.endsWith(".jar") && name !== plugin)
        .sort()
        .map((name) => path.join(libs, name));
    return [...extra, ...jars].join(path.delimiter);
}
