/**
 * The seed's migration from standalone to distributed, as steps the integration test and the benchmark share:
 * the seed's connectors, a file that grows steadily (the FileStreamSource's input), and the source's move to a
 * distributed cluster with or without the standalone worker's offsets.
 */
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { connectorProvider, ConnectorInputs, ConnectorOutputs } from "../../components/provider/connectorProvider";
import { StandaloneOffset, standaloneConnectorOffsets } from "../../components/migration/standaloneOffsets";
import { LocalCluster, sleep, waitFor } from "./harness";
import { countRecords, ProviderDriver, restClient, waitForLagZero } from "./support";

const provider = connectorProvider as Required<typeof connectorProvider>;

/** The seed's sink (local-file-sink.json's config), with the class by its alias as the seed wrote it. */
export function seedSinkConfig(topic: string, file: string): Record<string, string> {
    return { "connector.class": "FileStreamSink", "tasks.max": "1", topics: topic, file };
}

/** A FileStreamSource reading `file` line by line into `topic`. */
export function fileSourceConfig(file: string, topic: string): Record<string, string> {
    return { "connector.class": "FileStreamSource", "tasks.max": "1", file, topic };
}

/** Appends `<prefix>-0000000`, `<prefix>-0000001`, … lines to a file, `perTick` lines every `intervalMs`. */
export class GrowingFile {
    private written = 0;
    private timer: NodeJS.Timeout | undefined;

    constructor(
        readonly path: string,
        readonly prefix: string,
    ) {
        fs.writeFileSync(path, "");
    }

    start(perTick = 10, intervalMs = 100): this {
        this.timer = setInterval(() => this.append(perTick), intervalMs);
        return this;
    }

    /** Stops appending; returns how many lines the file holds. */
    stop(): number {
        clearInterval(this.timer);
        this.timer = undefined;
        return this.written;
    }

    get lines(): number {
        return this.written;
    }

    private append(count: number): void {
        const lines = Array.from(
            { length: count },
            (_, i) => `${this.prefix}-${String(this.written + i).padStart(7, "0")}\n`,
        );
        fs.appendFileSync(this.path, lines.join(""));
        this.written += count;
    }
}

/**
 * The source's first run on the distributed cluster, through the provider (check, then create, as the engine
 * calls them): declared with `offsets: { set }`, the standalone worker's offsets, it is created STOPPED, given
 * them, then started. Without offsets (the baseline), created running, as a plain re-declaration would be.
 */
export async function migrateSource(
    restUrl: string,
    name: string,
    config: Record<string, string>,
    offsets: readonly StandaloneOffset[] | undefined,
): Promise<ConnectorOutputs> {
    const inputs: ConnectorInputs = {
        ...new ProviderDriver(() => restUrl).inputs(name, config),
        ...(offsets === undefined ? {} : { offsets: { set: offsets } }),
    };
    const checked = await provider.check({} as ConnectorInputs, inputs);
    if (checked.failures !== undefined && checked.failures.length > 0) {
        throw new Error(checked.failures.map((failure) => failure.reason).join("\n"));
    }
    return (await provider.create(checked.inputs!)).outs!;
}

/** What a sink migration produced: the records acknowledged, and how often each reached the sink file. */
export interface SinkMigration {
    readonly acked: number;
    /** Distinct records the standalone worker had written when it stopped. */
    readonly byStandalone: number;
    readonly counts: Map<string, number>;
    /** From the standalone worker's stop until the cluster's connector is RUNNING. */
    readonly switchMs: number;
}

/**
 * The seed's sink under a steady stream: on a standalone worker, stopped, then declared with the same name in the
 * cluster (through the provider); returns once the stream stopped and the sink committed everything.
 */
export async function migrateSeedSink(
    cluster: LocalCluster,
    options: { readonly name: string; readonly topic: string; readonly prefix: string; readonly partitions: number },
): Promise<SinkMigration> {
    const { broker } = cluster;
    await broker.createTopic({ name: options.topic, partitions: options.partitions });
    const sinkFile = `${cluster.runDir}/${options.name}.sink.txt`;
    const config = seedSinkConfig(options.topic, sinkFile);
    const standalone = await cluster.startStandaloneWorker({
        name: `standalone-${options.name}`,
        connectors: [{ name: options.name, ...config }],
    });
    const producer = broker.startSteadyProducer({ topic: options.topic, prefix: options.prefix, ratePerSecond: 50 });
    const written = () => countRecords([sinkFile], options.prefix).size;
    await waitFor("200 records written by the standalone sink", () => (written() >= 200 ? true : undefined), {
        timeoutMs: 120_000,
        intervalMs: 250,
    });
    // The switch: the standalone worker stops (its task commits), the same connector is declared in the cluster.
    const switchStarted = performance.now();
    await standalone.stop();
    const byStandalone = written();
    await new ProviderDriver(() => cluster.restUrl(0)).create(options.name, config);
    const switchMs = performance.now() - switchStarted;
    await waitFor(
        "200 more records written by the distributed sink",
        () => (written() >= byStandalone + 200 ? true : undefined),
        { timeoutMs: 120_000, intervalMs: 250 },
    );
    const acked = await producer.stop();
    await waitForLagZero(broker, `connect-${options.name}`, options.partitions);
    return { acked, byStandalone, counts: countRecords([sinkFile], options.prefix), switchMs };
}

/** What a source migration produced: the lines of the input, and how often each reached the topic. */
export interface SourceMigration {
    readonly lines: number;
    /** Records in the topic when the standalone worker had stopped. */
    readonly copiedByStandalone: number;
    /** The standalone worker's offsets file, copied once the source had stopped there. */
    readonly offsetsFile: Buffer;
    readonly offsets: readonly StandaloneOffset[];
    readonly input: string;
    readonly migrated: ConnectorOutputs;
    readonly counts: Map<string, number>;
    /** The standalone worker's stop, then reading its offsets file and the create until RUNNING. */
    readonly switchMs: number;
}

/**
 * A FileStreamSource on a standalone worker while its input file grows, stopped there (its offsets file copied,
 * the worker stopped), then created in the cluster
 * with the offsets read from the standalone offsets file (`carryOffsets`) or without (a plain re-declaration);
 * returns once the file stopped growing and every line is in the topic.
 */
export async function migrateFileSource(
    cluster: LocalCluster,
    options: { readonly name: string; readonly topic: string; readonly prefix: string; readonly carryOffsets: boolean },
): Promise<SourceMigration> {
    const { broker } = cluster;
    await broker.createTopic({ name: options.topic, partitions: 1 });
    const input = new GrowingFile(`${cluster.runDir}/${options.name}.input.txt`, options.prefix).start();
    const config = fileSourceConfig(input.path, options.topic);
    const standalone = await cluster.startStandaloneWorker({
        name: `standalone-${options.name}`,
        connectors: [{ name: options.name, ...config }],
    });
    const values = async () => countValues((await broker.consume(options.topic, 10_000)).map((r) => r.value));
    const inTopic = async () => (await broker.consume(options.topic, 10_000)).length;
    try {
        await waitFor(
            "300 lines copied by the standalone source",
            async () => ((await inTopic()) >= 300 ? true : undefined),
            {
                timeoutMs: 120_000,
                intervalMs: 1_000,
            },
        );
        // As README's step 5: the source stopped in the standalone worker (its task commits), its offsets file
        // copied while the worker still runs, then the worker stopped.
        const stopStarted = performance.now();
        const standaloneClient = restClient(standalone.restUrl);
        await standaloneClient.stopConnector(options.name);
        await standaloneClient.waitForState(options.name, "STOPPED", 60_000);
        const offsetsFile = fs.readFileSync(standalone.offsetsFile);
        await standalone.stop();
        const stopMs = performance.now() - stopStarted;
        const copiedByStandalone = await inTopic();
        const createStarted = performance.now();
        const offsets = standaloneConnectorOffsets(offsetsFile, options.name);
        const migrated = await migrateSource(
            cluster.restUrl(0),
            options.name,
            config,
            options.carryOffsets ? offsets : undefined,
        );
        const switchMs = stopMs + performance.now() - createStarted;
        await waitFor(
            "the distributed source to copy 200 more lines",
            async () => ((await values()).size >= copiedByStandalone + 200 ? true : undefined),
            { timeoutMs: 120_000, intervalMs: 1_000 },
        );
        const lines = input.stop();
        await waitFor("every line in the topic", async () => ((await values()).size === lines ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 1_000,
        });
        // A line read twice may be sent late: give it a moment to show up before counting.
        await sleep(2_000);
        return {
            lines,
            copiedByStandalone,
            offsetsFile,
            offsets,
            input: input.path,
            migrated,
            counts: await values(),
            switchMs,
        };
    } finally {
        input.stop();
    }
}

function countValues(values: readonly (string | null)[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const value of values) {
        if (value !== null) {
            counts.set(value, (counts.get(value) ?? 0) + 1);
        }
    }
    return counts;
}
