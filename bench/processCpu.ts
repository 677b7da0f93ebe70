/**
 * CPU time (user + system) of the processes a phase starts (descendants of this one), by kind, read from
 * /proc/<pid>/stat every `intervalMs`: the last reading of a process before it exits is within one interval of its
 * total, which is close enough to say which process a phase's time went to (the engine, the program, the dynamic
 * provider).
 */
import * as fs from "node:fs";
import { descendantsOf, ProcessKind } from "./processMemory";

/** The nodejs language host's program process (`node …/@pulumi/pulumi/cmd/run …`). */
export const PROGRAM: ProcessKind = {
    label: "program",
    matches: (commandLine) => /@pulumi\/pulumi\/cmd\/run\b/.test(commandLine),
};

const TICKS_PER_SECOND = 100;

export class CpuSampler {
    /** CPU seconds last seen per pid, with its kind. */
    private readonly seen = new Map<number, { kind: string; seconds: number }>();
    private timer?: NodeJS.Timeout;

    constructor(
        private readonly kinds: readonly ProcessKind[],
        private readonly intervalMs = 100,
    ) {}

    start(): void {
        this.seen.clear();
        this.timer = setInterval(() => this.sample(), this.intervalMs);
        this.timer.unref();
    }

    /** CPU seconds per kind since start (processes that started and ended in between included), and stops. */
    stop(): Record<string, number> {
        this.sample();
        clearInterval(this.timer);
        const totals: Record<string, number> = Object.fromEntries(this.kinds.map((k) => [k.label, 0]));
        for (const { kind, seconds } of this.seen.values()) {
            totals[kind] += seconds;
        }
        return totals;
    }

    private sample(): void {
        for (const pid of descendantsOf(process.pid)) {
            const known = this.seen.get(pid);
            const kind = known?.kind ?? this.kindOf(pid);
            const stat = read(`/proc/${pid}/stat`);
            if (kind === undefined || stat === undefined) {
                continue;
            }
            // utime and stime are fields 14 and 15; the command name (field 2) may contain spaces, so count from ")".
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
            this.seen.set(pid, { kind, seconds });
        }
    }

    private kindOf(pid: number): string | undefined {
        const commandLine = read(`/proc/${pid}/cmdline`)?.split("\0").join(" ").trim();
        return commandLine === undefined ? undefined : this.kinds.find((k) => k.matches(commandLine))?.label;
    }
}

function read(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined; // the process ended between listing and reading
    }
}
