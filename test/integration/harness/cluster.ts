/**
 * A whole Connect cluster on loopback: one KRaft broker, the three storage topics created from
 * storageTopicSpecs(), and N distributed workers, each started from renderWorkerProperties() output.
 */
import { basicAuthorization } from "../../../components/basicAuth";
import * as fs from "node:fs";
import { StorageTopicSet, storageTopicSpecs, STORAGE_TOPIC_ROLES } from "../../../components/render/storageTopics";
import { resolveClusterConfig, REST_TLS_FILES } from "../../../components/config/clusterConfig";
import { DEFAULTS } from "../../../components/config/defaults";
import { formatProperties } from "../../../components/render/properties";
import { renderWorkerProperties, RestTlsSpec } from "../../../components/render/workerProperties";
import { JAAS_FILE, probeUser, renderRestAuthSecretData } from "../../../components/render/restAuth";
import { Broker } from "./broker";
import {
    CONVERTER_CLASSES,
    ConnectWorker,
    HARNESS_WORKER_DEFAULTS,
    StandaloneWorker,
    StandaloneWorkerOptions,
    WorkerAssignment,
} from "./connectWorker";
import { connectFilePluginJar, kafkaLibs } from "./kafkaJars";
import { HttpOptions } from "./http";
import { installPlugins, PluginInstall } from "./pluginInstall";
import type { PluginArgs } from "../../../components/config/plugins";
import type { ResolvedPlugin } from "../../../components/render/plugins";
import { harnessClasses } from "./javaBuild";
import { freePort } from "./ports";
import { createRunDir, RunDir, tail } from "./runDir";
import { waitFor } from "./wait";
import { AddWorkerOptions, ClusterOptions, StableGroup } from "./clusterOptions";

export { AddWorkerOptions, ClusterOptions, StableGroup };

export class LocalCluster {
    /** Every worker started, in order (stopped ones stay; check `running`). */
    readonly workers: ConnectWorker[] = [];
    /** Standalone workers started with startStandaloneWorker() (stopped by stop() too). */
    readonly standaloneWorkers: StandaloneWorker[] = [];
    readonly storageTopics: StorageTopicSet;
    /** The workers' connectorSecretsDir: FileConfigProvider may read `${file:<dir>/<file>:<key>}` from here. */
    readonly connectorSecretsDir: string;
    /** Where the rest-auth Secret's files are (when restAuth is set). */
    readonly restAuthDir: string;
    private readonly restTlsSpec?: RestTlsSpec;
    /** Each worker's plugin installation (workers started with `plugins` only), by worker name. */
    readonly pluginInstalls = new Map<string, PluginInstall>();
    /** How long start() took: broker, storage topics, workers, stable group. */
    startupMs = 0;
    private stopped = false;
    private nextWorkerNumber = 1;
    private standaloneStarted = 0;

    private constructor(
        readonly options: ClusterOptions,
        readonly groupId: string,
        readonly run: RunDir,
        readonly broker: Broker,
    ) {
        this.storageTopics = storageTopicSpecs({
            groupId,
            replicationFactor: 1,
            defaultPartitions: DEFAULTS.storageTopicPartitions,
            ...options.storageTopics,
        });
        this.connectorSecretsDir = run.file("connector-secrets");
        fs.mkdirSync(this.connectorSecretsDir, { recursive: true });
        this.restAuthDir = run.file("rest-auth");
        if (options.restAuth !== undefined) {
            writeFiles(this.restAuthDir, renderRestAuthSecretData(options.restAuth.users, this.restAuthDir));
        }
        if (options.restTls !== undefined) {
            // The same two files the component's rest-tls Secret holds.
            const dir = run.file("rest-tls");
            this.restTlsSpec = {
                keystoreFile: `${dir}/${REST_TLS_FILES.keystore}`,
                passwordFile: `${dir}/${REST_TLS_FILES.password}`,
            };
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(this.restTlsSpec.keystoreFile, Buffer.from(options.restTls.pkcs12Base64, "base64"));
            fs.writeFileSync(
                this.restTlsSpec.passwordFile,
                formatProperties([{ title: "keystore password", entries: { password: options.restTls.password } }]),
            );
        }
    }

    /** How a client reaches the workers' REST API: the probe user's credentials, the HTTPS listener's CA. */
    get restHttp(): HttpOptions {
        const auth = this.options.restAuth;
        return {
            headers: auth === undefined ? {} : { Authorization: basicAuthorization(...probeUser(auth.users)) },
            caPem: this.options.restTls?.caPem,
        };
    }

    /** Starts broker, storage topics and workers; on failure stops what was started and rethrows. */
    static async start(options: ClusterOptions): Promise<LocalCluster> {
        const began = Date.now();
        harnessClasses();
        const groupId = options.groupId ?? "harness";
        const run = createRunDir(options.label ?? groupId);
        let broker: Broker | undefined;
        let cluster: LocalCluster | undefined;
        try {
            broker = await Broker.start({
                runDir: run,
                kafkaVersion: options.kafkaVersion,
                heapMb: options.heapMb,
                config: options.brokerConfig,
                scramUsers: options.scramUsers,
                tls: options.brokerTls,
                saslSsl: options.brokerSaslSsl,
            });
            cluster = new LocalCluster(options, groupId, run, broker);
            const topics = cluster.storageTopics;
            await broker.createTopics(STORAGE_TOPIC_ROLES.map((role) => topics[role]));
            await cluster.startWorkers(options.workers);
            if (options.workers > 0) {
                await cluster.waitForStableGroup();
            }
            cluster.startupMs = Date.now() - began;
            return cluster;
        } catch (error) {
            await (cluster?.stop() ?? broker?.stop());
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(`${message}\nharness run folder: ${run.path}`, { cause: error });
        }
    }

    /** The run folder holding every log, properties file and the broker's data. */
    get runDir(): string {
        return this.run.path;
    }

    /** The workers whose JVM is running. */
    get runningWorkers(): ConnectWorker[] {
        return this.workers.filter((worker) => worker.running);
    }

    restUrl(index: number): string {
        const worker = this.workers[index];
        if (worker === undefined) {
            throw new Error(`harness: no worker ${index} (the cluster has ${this.workers.length})`);
        }
        return worker.restUrl;
    }

    /**
     * The properties our renderer produces for a worker of this cluster on `restPort`, on the broker listener for
     * `kafkaSecurity`'s protocol (`exactlyOnceSourceSupport` other than the cluster's: a worker of a rolling
     * change).
     */
    renderProperties(
        restPort: number,
        workerOverrides: Readonly<Record<string, string>> = {},
        kafkaSecurity = this.options.kafkaSecurity,
        pluginDirs: readonly string[] = [],
        exactlyOnceSourceSupport = this.options.exactlyOnceSourceSupport,
    ): string {
        const converter = CONVERTER_CLASSES[this.options.converter ?? "string"];
        // The component's own defaults and override handling (resolveClusterConfig), with what differs on a test host.
        const bootstrapServers = this.broker.bootstrapServersFor(kafkaSecurity?.protocol ?? "PLAINTEXT");
        const overrides = { ...HARNESS_WORKER_DEFAULTS, ...this.options.workerOverrides, ...workerOverrides };
        const resolved = resolveClusterConfig(this.groupId, {
            bootstrapServers,
            groupId: this.groupId,
            replicationFactor: 1,
            workerOverrides: overrides,
            exactlyOnceSourceSupport,
        }).worker;
        return renderWorkerProperties({
            ...resolved,
            security: kafkaSecurity,
            storageTopics: this.storageTopics,
            keyConverter: converter,
            valueConverter: converter,
            converterSchemasEnable: this.options.converterSchemasEnable ?? false,
            restPort,
            listenerHost: "127.0.0.1",
            pluginPath: [
                connectFilePluginJar(kafkaLibs(this.options.kafkaVersion)),
                ...pluginDirs,
                ...(this.options.extraPluginPath ?? []),
            ],
            connectorSecretsDir: this.connectorSecretsDir,
            scheduledRebalanceMaxDelayMs: this.options.scheduledRebalanceMaxDelayMs ?? 10_000,
            restAuth: this.options.restAuth !== undefined,
            restTls: this.restTlsSpec,
        });
    }

    /** Starts one more worker of the group on a free port, e.g. `addWorker({ env: { POD_IP: "127.0.0.2" },
     * waitForGroup: false })`. */
    async addWorker(options: AddWorkerOptions = {}): Promise<ConnectWorker> {
        const [worker] = await this.startWorkers(1, options.workerOverrides, options.env, options.plugins);
        if (options.waitForGroup ?? true) {
            await this.waitForStableGroup();
        }
        return worker;
    }

    /** Starts `count` workers in parallel and appends them to `workers` in name order. */
    private async startWorkers(
        count: number,
        workerOverrides?: Readonly<Record<string, string>>,
        env?: Readonly<Record<string, string>>,
        plugins: readonly PluginArgs[] | readonly ResolvedPlugin[] | undefined = this.options.plugins,
    ): Promise<ConnectWorker[]> {
        const first = this.nextWorkerNumber;
        this.nextWorkerNumber += count;
        const starting = Array.from({ length: count }, async (_, i) => {
            const name = `worker-${first + i}`;
            const pluginDirs: string[] = [];
            let agents: Record<string, string> = {};
            if (plugins !== undefined && plugins.length > 0) {
                const install = await installPlugins(this.run, `${name}-plugins`, plugins);
                this.pluginInstalls.set(name, install);
                pluginDirs.push(...install.pluginPath);
                agents = install.kafkaOpts === undefined ? {} : { JDK_JAVA_OPTIONS: install.kafkaOpts };
            }
            return ConnectWorker.start({
                name,
                runDir: this.run,
                properties: this.renderProperties(await freePort(), workerOverrides, undefined, pluginDirs),
                env: { ...env, ...agents },
                heapMb: this.options.heapMb,
                kafkaVersion: this.options.kafkaVersion,
                systemProperties:
                    this.options.restAuth === undefined
                        ? undefined
                        : { "java.security.auth.login.config": `${this.restAuthDir}/${JAAS_FILE}` },
                restHttp: this.restHttp,
            });
        });
        const settled = await Promise.allSettled(starting);
        const started = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
        this.workers.push(...started);
        const failure = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
        if (failure !== undefined) {
            throw failure.reason;
        }
        return started;
    }

    /**
     * Waits until every running worker reports the same generation and leader (a worker of this
     * cluster), newer than `afterGeneration` if given.
     */
    async waitForStableGroup(
        options: { readonly timeoutMs?: number; readonly afterGeneration?: number } = {},
    ): Promise<StableGroup> {
        return waitFor(
            `a stable group of ${this.runningWorkers.length} workers`,
            () => {
                const members = this.runningWorkers;
                const assignments = new Map(members.map((worker) => [worker, worker.assignment()] as const));
                const all = [...assignments.values()];
                const first = all[0];
                if (
                    first === undefined ||
                    all.some(
                        (a) =>
                            a === undefined ||
                            a.error !== 0 ||
                            a.generation !== first.generation ||
                            a.leaderUrl !== first.leaderUrl,
                    )
                ) {
                    return undefined;
                }
                const leader = members.find((worker) => `${worker.restUrl}/` === first.leaderUrl);
                if (leader === undefined || first.generation <= (options.afterGeneration ?? -1)) {
                    return undefined;
                }
                return {
                    generation: first.generation,
                    leaderUrl: first.leaderUrl,
                    leader,
                    members,
                    assignments: assignments as Map<ConnectWorker, WorkerAssignment>,
                };
            },
            {
                timeoutMs: options.timeoutMs ?? 60_000,
                hint: () =>
                    this.runningWorkers.map((w) => `${w.name}: ${JSON.stringify(w.assignment())}`).join("; ") +
                    `; logs in ${this.runDir}`,
            },
        );
    }

    /**
     * Starts a standalone worker against this cluster's broker, in the run folder; cluster.stop()
     * stops it too. Name defaults to standalone-<n>.
     */
    async startStandaloneWorker(
        options: Omit<StandaloneWorkerOptions, "runDir" | "bootstrapServers" | "name" | "heapMb" | "kafkaVersion"> & {
            readonly name?: string;
        },
    ): Promise<StandaloneWorker> {
        // Counted before the await: workers started in parallel get distinct names (and files).
        const name = options.name ?? `standalone-${++this.standaloneStarted}`;
        const starting = StandaloneWorker.start({
            ...options,
            name,
            runDir: this.run,
            bootstrapServers: this.broker.bootstrapServers,
            heapMb: this.options.heapMb,
            kafkaVersion: this.options.kafkaVersion,
        });
        const worker = await starting;
        this.standaloneWorkers.push(worker);
        return worker;
    }

    /** The current leader according to the running workers' last assignments (undefined if they disagree). */
    leader(): ConnectWorker | undefined {
        const urls = new Set(this.runningWorkers.map((worker) => worker.assignment()?.leaderUrl));
        const [url] = urls;
        return urls.size === 1 ? this.runningWorkers.find((worker) => `${worker.restUrl}/` === url) : undefined;
    }

    /** Stops workers then broker (idempotent). Logs stay in the run folder; the broker's data is deleted unless
     * keepData. */
    async stop(options: { readonly keepData?: boolean } = {}): Promise<void> {
        if (this.stopped) {
            return;
        }
        this.stopped = true;
        // A producer a failed test left running would otherwise retry against the stopped broker.
        await this.broker.killSteadyProducers();
        await Promise.all([...this.workers, ...this.standaloneWorkers].map((worker) => worker.stop(15_000)));
        await this.broker.stop();
        if (!options.keepData) {
            fs.rmSync(this.broker.dataDir, { recursive: true, force: true });
        }
    }

    /** For afterEach: when the test failed, prints the run folder and the tail of each worker's log. */
    reportIfFailed(t: { readonly name: string }): void {
        // TestContext.passed exists at run time (Node 20.12+) but not in @types/node 20.
        if ((t as { readonly passed?: boolean }).passed !== false) {
            return;
        }
        const lines = [`harness run folder for failed test "${t.name}": ${this.runDir}`];
        for (const worker of [...this.workers, ...this.standaloneWorkers]) {
            const last = tail(worker.logFile, 4)
                .split("\n")
                .map((line) => (line.length > 240 ? `${line.slice(0, 240)}...` : line));
            lines.push(`--- ${worker.logFile} (${worker.running ? "running" : "stopped"}), last lines:`, ...last);
        }
        process.stderr.write(lines.join("\n") + "\n");
    }
}

function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(`${dir}/${name}`, text);
    }
}

export function startCluster(options: ClusterOptions): Promise<LocalCluster> {
    return LocalCluster.start(options);
}
