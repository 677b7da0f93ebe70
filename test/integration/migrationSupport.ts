/**
 * The seed's migration from standalone to distributed, as steps the integration test and the benchmark share:
 * the seed's connectors, a file that grows steadily (the FileStreamSource's input), and the source's move to a
 * distributed cluster with or without the standalone worker's offsets.
 */
import * as fs from "node:fs";
import { connectorProvider, ConnectorInputs, ConnectorOutputs } from "../../components/provider/connectorProvider";
import { StandaloneOffset } from "../../components/migration/standaloneOffsets";
import { ProviderDriver, restClient } from "./support";

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
 * The source's first run on the distributed cluster, through the provider: created STOPPED (no task runs),
 * the standalone worker's offsets written with the offsets API, then started. Without offsets (the baseline),
 * created running, as a plain re-declaration would be.
 */
export async function migrateSource(
    restUrl: string,
    name: string,
    config: Record<string, string>,
    offsets: readonly StandaloneOffset[] | undefined,
): Promise<ConnectorOutputs> {
    const driver = new ProviderDriver(() => restUrl);
    const inputs = (state: "running" | "stopped"): ConnectorInputs => ({ ...driver.inputs(name, config), state });
    if (offsets === undefined) {
        return (await provider.create(inputs("running"))).outs!;
    }
    const stopped = (await provider.create(inputs("stopped"))).outs!;
    await restClient(restUrl).alterOffsets(name, offsets);
    return (await provider.update(name, stopped, inputs("running"))).outs!;
}
