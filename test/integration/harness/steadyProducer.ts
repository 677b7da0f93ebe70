/**
 * A producer running in the background at a steady rate (java/SteadyProducer.java), for tests of what
 * happens to records in flight while workers join, leave or die.
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

export class SteadyProducer {
    private constructor(private readonly process: JavaProcess) {}

    static start(bootstrapServers: string, runDir: RunDir, options: SteadyProducerOptions): SteadyProducer {
        const process = new JavaProcess({
            name: `producer-${options.prefix}`,
            mainClass: "SteadyProducer",
            args: [bootstrapServers, options.topic, options.prefix, String(options.ratePerSecond)],
            runDir,
            heapMb: 256,
        });
        return new SteadyProducer(process);
    }

    /** Stops producing, flushes, and returns how many records were acknowledged (values 0 … n-1). */
    async stop(): Promise<number> {
        await this.process.stop(30_000);
        const summary = /SENT (\d+) ACKED (\d+) FAILED (\d+)/.exec(fs.readFileSync(this.process.outFile, "utf8"));
        if (summary === null) {
            throw new Error(`harness: the steady producer printed no summary; ${this.process.describeExit()}`);
        }
        const [sent, acked, failed] = summary.slice(1).map(Number);
        if (failed > 0 || acked !== sent) {
            throw new Error(`harness: the steady producer sent ${sent}, got ${acked} acks and ${failed} failures`);
        }
        return acked;
    }
}
