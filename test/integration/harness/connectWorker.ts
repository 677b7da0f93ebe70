/**
 * Kafka Connect worker processes: distributed workers started from exactly the properties text our
 * renderer produced, and standalone workers (for contrast tests). Each runs in its own JVM with
 * POD_IP=127.0.0.1 in its environment, as the downward API would give a pod.
 */
import * as fs from "node:fs";
import { formatProperties, parseProperties } from "../../../components/render/properties";
import { httpGet, HttpOptions } from "./http";
import { connectFilePluginJar, kafkaLibs } from "./kafkaJars";
import { freePort } from "./ports";
import { JavaProcess } from "./processes";
import { fileSize, logSummary, readFrom, RunDir } from "./runDir";
import { waitFor } from "./wait";

export type ConverterChoice = "string" | "json";

export const CONVERTER_CLASSES: Readonly<Record<ConverterChoice, string>> = {
    string: "org.apache.kafka.connect.storage.StringConverter",
    json: "org.apache.kafka.connect.json.JsonConverter",
};

/**
 * What the harness adds to every worker (overridable): plugin discovery by ServiceLoader manifests
 * only (the default hybrid_warn also scans every classpath jar by reflection: ~9 s per start on 2
 * cores), and source offsets / sink commits flushed every second instead of every minute.
 */
export const HARNESS_WORKER_DEFAULTS: Readonly<Record<string, string>> = {
    "plugin.discovery": "service_load",
    "offset.flush.interval.ms": "1000",
};

export interface WorkerProcessOptions {
    /** Names the files: <name>.log, <name>.out, <name>.properties. */
    readonly name: string;
    readonly runDir: RunDir;
    /** Added to the JVM's environment; POD_IP defaults to 127.0.0.1. */
    readonly env?: Readonly<Record<string, string>>;
    /** Default 512. */
    readonly heapMb?: number;
    /** The Kafka release whose Connect runtime the worker runs. Default: the newest supported. */
    readonly kafkaVersion?: string;
    /** How long start() and restart() wait for the REST API (default 90 s). */
    readonly startTimeoutMs?: number;
    /** JVM system properties, e.g. java.security.auth.login.config for REST basic auth (KAFKA_OPTS in a pod). */
    readonly systemProperties?: Readonly<Record<string, string>>;
    /** How the readiness check talks to the REST API: credentials, the CA of an HTTPS listener. */
    readonly restHttp?: Omit<HttpOptions, "timeoutMs">;
}

/** A worker's share of the group, from its last "Joined group at generation ..." log line. */
export interface WorkerAssignment {
    readonly generation: number;
    readonly error: number;
    readonly leaderUrl: string;
    readonly connectorIds: readonly string[];
    readonly taskIds: readonly string[];
    readonly delayMs: number;
}

const JOINED = new RegExp(
    String.raw`Joined group at generation (\d+) .*?Assignment\{error=(-?\d+), leader='[^']*', ` +
        String.raw`leaderUrl='([^']*)', offset=-?\d+, connectorIds=\[([^\]]*)\], taskIds=\[([^\]]*)\]` +
        String.raw`.*?delay=(\d+)\}`,
    "g",
);

abstract class WorkerProcess {
    private current: JavaProcess | undefined;
    private logStart = 0;

    protected constructor(
        protected readonly options: WorkerProcessOptions,
        /** The worker's REST API, e.g. http://127.0.0.1:23456 (no trailing slash). */
        readonly restUrl: string,
        private readonly mainClass: string,
        private readonly args: readonly string[],
    ) {}

    get name(): string {
        return this.options.name;
    }

    /** The current (or last) JVM. */
    get process(): JavaProcess {
        if (this.current === undefined) {
            throw new Error(`harness: ${this.name} was never started`);
        }
        return this.current;
    }

    get running(): boolean {
        return this.current?.running ?? false;
    }

    get logFile(): string {
        return this.options.runDir.file(`${this.name}.log`);
    }

    /** Log text written by the current JVM (the log file is appended to across restarts). */
    currentLog(): string {
        return readFrom(this.logFile, this.logStart);
    }

    /** Starts the JVM (if not running) and waits until its REST API answers GET / and GET /connectors. */
    async start(): Promise<void> {
        if (!this.running) {
            this.logStart = fileSize(this.logFile);
            this.current = new JavaProcess({
                name: this.name,
                mainClass: this.mainClass,
                args: this.args,
                runDir: this.options.runDir,
                env: { POD_IP: "127.0.0.1", ...this.options.env },
                heapMb: this.options.heapMb,
                systemProperties: this.options.systemProperties,
                kafkaVersion: this.options.kafkaVersion,
            });
        }
        try {
            await this.waitUntilReady();
        } catch (error) {
            await this.current?.kill();
            throw error;
        }
    }

    /** Graceful shutdown (SIGTERM): the worker leaves the group and its tasks stop cleanly. */
    async stop(timeoutMs = 30_000): Promise<void> {
        await this.current?.stop(timeoutMs);
    }

    /** SIGKILL: the worker vanishes as a crashed pod would; the group notices after session.timeout.ms. */
    async kill(): Promise<void> {
        await this.current?.kill();
    }

    /** Stops (gracefully) and starts again with the same properties and port. */
    async restart(): Promise<void> {
        await this.stop();
        await this.start();
    }

    async waitUntilReady(timeoutMs = this.options.startTimeoutMs ?? 90_000): Promise<void> {
        const process = this.process;
        await waitFor(
            `${this.name}'s REST API at ${this.restUrl}`,
            async () => {
                const http = { ...this.options.restHttp, timeoutMs: 5_000 };
                const root = await httpGet(`${this.restUrl}/`, http);
                const connectors = root.status === 200 ? await httpGet(`${this.restUrl}/connectors`, http) : root;
                return connectors.status === 200 ? true : undefined;
            },
            {
                timeoutMs,
                intervalMs: 250,
                abortIf: () => (process.running ? undefined : process.describeExit()),
                hint: () => logSummary(this.logFile),
            },
        );
    }
}

export interface ConnectWorkerOptions extends WorkerProcessOptions {
    /** The worker's distributed.properties text, as rendered by renderWorkerProperties. */
    readonly properties: string;
}

/** A distributed worker (org.apache.kafka.connect.cli.ConnectDistributed). */
export class ConnectWorker extends WorkerProcess {
    readonly propertiesFile: string;
    /** The parsed properties, e.g. properties["group.id"]. */
    readonly properties: Readonly<Record<string, string>>;

    private constructor(options: ConnectWorkerOptions, propertiesFile: string, properties: Record<string, string>) {
        super(options, restUrlOf(properties), "org.apache.kafka.connect.cli.ConnectDistributed", [propertiesFile]);
        this.propertiesFile = propertiesFile;
        this.properties = properties;
    }

    /** Writes <name>.properties verbatim, starts the worker and waits for its REST API. */
    static async start(options: ConnectWorkerOptions): Promise<ConnectWorker> {
        const propertiesFile = options.runDir.file(`${options.name}.properties`);
        fs.writeFileSync(propertiesFile, options.properties);
        const worker = new ConnectWorker(options, propertiesFile, parseProperties(options.properties));
        await worker.start();
        return worker;
    }

    /** The worker's last group assignment in the current JVM, or undefined before it joined. */
    assignment(): WorkerAssignment | undefined {
        const matches = [...this.currentLog().matchAll(JOINED)];
        const last = matches[matches.length - 1];
        if (last === undefined) {
            return undefined;
        }
        const list = (text: string): string[] => (text.trim() === "" ? [] : text.split(",").map((item) => item.trim()));
        return {
            generation: Number(last[1]),
            error: Number(last[2]),
            leaderUrl: last[3],
            connectorIds: list(last[4]),
            taskIds: list(last[5]),
            delayMs: Number(last[6]),
        };
    }

    /** The URL the worker advertises to its peers (after config providers resolved it), from its log. */
    advertisedUrl(): string | undefined {
        return /Advertised URI: (\S+)/.exec(this.currentLog())?.[1];
    }
}

export interface StandaloneWorkerOptions extends WorkerProcessOptions {
    readonly bootstrapServers: string;
    /** One properties map per connector (name, connector.class, ...). */
    readonly connectors: readonly Readonly<Record<string, string>>[];
    readonly converter?: ConverterChoice;
    /** Default: a free port. */
    readonly restPort?: number;
    readonly overrides?: Readonly<Record<string, string>>;
}

/** A standalone worker (org.apache.kafka.connect.cli.ConnectStandalone): offsets in a local file, no group. */
export class StandaloneWorker extends WorkerProcess {
    /** Its offsets file (`offset.storage.file.filename`): where its source connectors' offsets are kept. */
    get offsetsFile(): string {
        return this.options.runDir.file(`${this.name}.offsets`);
    }

    static async start(options: StandaloneWorkerOptions): Promise<StandaloneWorker> {
        const port = options.restPort ?? (await freePort());
        const converter = CONVERTER_CLASSES[options.converter ?? "string"];
        const worker: Record<string, string> = {
            "bootstrap.servers": options.bootstrapServers,
            "key.converter": converter,
            "value.converter": converter,
            "key.converter.schemas.enable": "false",
            "value.converter.schemas.enable": "false",
            "offset.storage.file.filename": options.runDir.file(`${options.name}.offsets`),
            listeners: `http://127.0.0.1:${port}`,
            "rest.advertised.host.name": "127.0.0.1",
            "plugin.path": connectFilePluginJar(kafkaLibs(options.kafkaVersion)),
            ...HARNESS_WORKER_DEFAULTS,
            ...options.overrides,
        };
        const files = [options.runDir.file(`${options.name}.properties`)];
        fs.writeFileSync(files[0], formatProperties([{ title: `Standalone worker ${options.name}`, entries: worker }]));
        options.connectors.forEach((connector, i) => {
            files.push(options.runDir.file(`${options.name}-connector-${i + 1}.properties`));
            fs.writeFileSync(
                files[i + 1],
                formatProperties([{ title: `Connector ${connector.name ?? i + 1}`, entries: connector }]),
            );
        });
        const standalone = new StandaloneWorker(
            options,
            `http://127.0.0.1:${port}`,
            "org.apache.kafka.connect.cli.ConnectStandalone",
            files,
        );
        await standalone.start();
        return standalone;
    }
}

/** http(s)://host:port from the first `listeners` entry. */
function restUrlOf(properties: Readonly<Record<string, string>>): string {
    const listener = (properties.listeners ?? "").split(",")[0].trim();
    const match = /^(https?):\/\/([^:/]+):(\d+)\/?$/.exec(listener);
    if (match === null) {
        throw new Error(
            `harness: the worker properties need an http or https listener (listeners=${properties.listeners ?? ""})`,
        );
    }
    const host = match[2] === "0.0.0.0" ? "127.0.0.1" : match[2];
    return `${match[1]}://${host}:${match[3]}`;
}
