/**
 * A producer running in the background at a steady rate (java/SteadyProducer.java), for tests of what
 * happens to records in flight while workers join, leave or die. Start it with broker.startSteadyProducer().
 */
import * as fs from "node:fs";
import { JavaProcess } from "./processes";
import { RunDir } from "./runDir";

export interface SteadyProducerOptions {
    readonly topic: string;
    /** Values are `<prefix>-0000000`, `<prefix>-0000001`, ... (support.ts recordValues' format). */
    readonly prefix: string;
    readonly ratePerSecond: number;
}

const SUMMARY = /^SENT (\d+) ACKED (\d+) FAILED (\d+)$/gm;

/** Numbers the producers of this test process, so two with the same prefix never share an output file. */
let started = 0;

export class SteadyProducer {
    private constructor(
        private readonly process: JavaProcess,
        readonly options: SteadyProducerOptions,
    ) {}

    /**
     * Starts the JVM and returns at once (records flow a second or two later). Prefer
     * broker.startSteadyProducer(), which also stops it with the cluster.
     */
    static start(bootstrapServers: string, runDir: RunDir, options: SteadyProducerOptions): SteadyProducer {
        const process = new JavaProcess({
            name: `producer-${++started}-${options.prefix}`,
            mainClass: "SteadyProducer",
            args: [bootstrapServers, options.topic, options.prefix, String(options.ratePerSecond)],
            runDir,
            heapMb: 256,
        });
        return new SteadyProducer(process, options);
    }

    get running(): boolean {
        return this.process.running;
    }

    /**
     * SIGTERM: the producer stops sending, flushes, and prints its summary. Returns how many records were
     * acknowledged: exactly the values `<prefix>-0000000` … `<prefix>-(n-1)` exist in the topic.
     * Throws if any send failed (the set of values would then have holes).
     */
    async stop(): Promise<number> {
        await this.process.stop(30_000);
        const summaries = [...fs.readFileSync(this.process.outFile, "utf8").matchAll(SUMMARY)];
        const last = summaries[summaries.length - 1];
        if (last === undefined) {
            throw new Error(`harness: the steady producer printed no summary; ${this.process.describeExit()}`);
        }
        const [sent, acked, failed] = last.slice(1).map(Number);
        if (failed > 0 || acked !== sent) {
            throw new Error(
                `harness: the steady producer sent ${sent}, got ${acked} acks and ${failed} failures; see ` +
                    `${this.process.outFile}`,
            );
        }
        return acked;
    }

    /** SIGKILL, for cleanup after a failed test: no summary, nothing counted. */
    async kill(): Promise<void> {
        await this.process.kill();
    }
}
