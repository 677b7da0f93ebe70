/**
 * Peak resident memory of processes this benchmark starts (the Pulumi CLI and the dynamic-provider node process it
 * spawns), read from /proc while they run: every `intervalMs` the descendants of this process are listed and each
 * matching one's `VmHWM` (its own high-water mark, kept by the kernel) is recorded. The last reading before a
 * process exits is its peak, so sampling only has to be frequent enough to see it once shortly before it ends.
 */
import * as fs from "node:fs";

export interface ProcessKind {
    /** Shown in the table. */
    readonly label: string;
    /** Whether a process's command line (arguments joined by spaces) is one of this kind. */
    readonly matches: (commandLine: string) => boolean;
}

/** The dynamic-provider node process (`pulumi-resource-pulumi-nodejs` runs `node …/cmd/dynamic-provider`). */
export const DYNAMIC_PROVIDER: ProcessKind = {
    label: "dynamic provider",
    // Not the wrapper script's `node -e "…require.resolve('@pulumi/pulumi/cmd/dynamic-provider')"` that finds it.
    matches: (commandLine) => commandLine.includes("dynamic-provider") && !commandLine.includes("require.resolve"),
};

/** The Pulumi CLI (the engine: state, diffs, step execution). */
export const PULUMI_CLI: ProcessKind = {
    label: "pulumi CLI",
    matches: (commandLine) => /(^|\/)pulumi( |$)/.test(commandLine),
};

export class PeakMemorySampler {
    private readonly peakKb = new Map<string, number>();
    private readonly seen = new Map<string, Set<number>>();
    private timer?: NodeJS.Timeout;

    constructor(
        private readonly kinds: readonly ProcessKind[],
        private readonly intervalMs = 100,
    ) {}

    start(): void {
        this.timer = setInterval(() => this.sample(), this.intervalMs);
        this.timer.unref();
    }

    /** Peak VmHWM in MiB per kind since the last take (processes seen, too), and starts afresh. */
    take(): Record<string, { peakMiB: number; processes: number }> {
        this.sample();
        const result = Object.fromEntries(
            this.kinds.map((kind) => [
                kind.label,
                {
                    peakMiB: Math.round((this.peakKb.get(kind.label) ?? 0) / 1024),
                    processes: this.seen.get(kind.label)?.size ?? 0,
                },
            ]),
        );
        this.peakKb.clear();
        this.seen.clear();
        return result;
    }

    stop(): void {
        clearInterval(this.timer);
    }

    private sample(): void {
        for (const pid of descendantsOf(process.pid)) {
            const commandLine = read(`/proc/${pid}/cmdline`)?.split("\0").join(" ").trim();
            const kind = commandLine === undefined ? undefined : this.kinds.find((k) => k.matches(commandLine));
            const hwm = kind && /VmHWM:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? "")?.[1];
            if (kind && hwm) {
                this.peakKb.set(kind.label, Math.max(this.peakKb.get(kind.label) ?? 0, Number(hwm)));
                const seen = this.seen.get(kind.label) ?? new Set<number>();
                this.seen.set(kind.label, seen.add(pid));
            }
        }
    }
}

/** Every process below `root` (children, their children, ...), from the parent pid in /proc/<pid>/stat. */
export function descendantsOf(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        // The command name (field 2) is in parentheses and may contain spaces: the parent pid follows the last ")".
        const stat = read(`/proc/${entry}/stat`);
        const parent = stat === undefined ? NaN : Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    }
    const found: number[] = [];
    for (let queue = [root]; queue.length > 0;) {
        const next = children.get(queue.shift()!) ?? [];
        found.push(...next);
        queue.push(...next);
    }
    return found;
}

function read(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined; // the process ended between listing and reading
    }
}
