/**
 * The unmanaged-connectors report: connectors present in the Connect cluster that no declaration of this stack
 * covers (nor an `ignoreUnmanagedConnectors` entry: names or `prefix*`, for connectors other stacks or tools own).
 * They are reported — a warning during preview and `up`, and a stack output — and never touched. The names come
 * from the one listing per target and process that the connectors' checks and reads share (snapshotCache.ts), in
 * `check` (so preview shows it too) and in `read` (refresh): no listing of its own.
 */
import type * as pulumi from "@pulumi/pulumi";
import { clientFor, PREVIEW_VALIDATION_DEADLINE_MS, warnOnce } from "./connectorOperations";
import type { RestAccess } from "./connectorTypes";
import { listing } from "./snapshotCache";
import { hasUnknowns } from "./unknowns";

export interface UnmanagedInputs {
    readonly access: RestAccess;
    readonly readyTimeoutMs: number;
    /** The connectors this stack declares (and the previous names of those being renamed). */
    readonly declared: string[];
    /** Names, or prefixes ending in `*`, of connectors owned elsewhere. */
    readonly ignore: string[];
    /** What the last listing found: sorted names. */
    readonly unmanaged?: string[];
}

/** Whether `name` matches one of the patterns: an exact name, or a prefix ending in `*`. */
export function isIgnored(name: string, patterns: readonly string[]): boolean {
    return patterns.some((pattern) =>
        pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
    );
}

/** The listed connectors that are neither declared nor ignored, sorted. */
export function unmanagedConnectors(
    listed: readonly string[],
    declared: readonly string[],
    ignore: readonly string[],
): string[] {
    return listed.filter((name) => !declared.includes(name) && !isIgnored(name, ignore)).sort();
}

/** The warning for a non-empty report. */
export function unmanagedWarning(unmanaged: readonly string[]): string {
    return (
        `${unmanaged.length} connector(s) in the Connect cluster are declared by no connector of this stack and are ` +
        `left untouched: ${unmanaged.join(", ")}; declare them (with adopt: true to take them over), or list ` +
        `them in ignoreUnmanagedConnectors when another stack or tool owns them.`
    );
}

/** Lists the cluster's connectors and reports those not covered; undefined when the REST API cannot be asked now. */
async function listUnmanaged(inputs: UnmanagedInputs, at: "check" | "read"): Promise<string[] | undefined> {
    if (hasUnknowns(inputs.access)) {
        return undefined;
    }
    try {
        // At preview (check) a listing that failed for a connector's check is not asked again; a refresh asks.
        const client = clientFor(inputs, at === "check" ? PREVIEW_VALIDATION_DEADLINE_MS : inputs.readyTimeoutMs);
        const listed = Object.keys(await listing(client, { reuseFailure: at === "check" }));
        return unmanagedConnectors(listed, inputs.declared, inputs.ignore);
    } catch {
        // The cluster may not exist yet (its first preview): nothing to report, and nothing to fail for.
        return undefined;
    }
}

function withReport(inputs: UnmanagedInputs, unmanaged: string[] | undefined): UnmanagedInputs {
    const report = unmanaged ?? inputs.unmanaged ?? [];
    if (report.length > 0) {
        warnOnce(unmanagedWarning(report));
    }
    return {
        access: inputs.access,
        readyTimeoutMs: inputs.readyTimeoutMs,
        declared: [...inputs.declared].sort(),
        ignore: inputs.ignore,
        unmanaged: report,
    };
}

export const unmanagedProvider: pulumi.dynamic.ResourceProvider<UnmanagedInputs, UnmanagedInputs> = {
    async check(olds, news) {
        const unmanaged = await listUnmanaged(news, "check");
        return { inputs: withReport({ ...news, unmanaged: olds?.unmanaged }, unmanaged) };
    },

    async diff(_id, olds, news) {
        const canonical = (inputs: UnmanagedInputs) =>
            JSON.stringify([inputs.unmanaged, inputs.declared, inputs.ignore, inputs.access, inputs.readyTimeoutMs]);
        return { changes: canonical(olds) !== canonical(news) };
    },

    async create(inputs) {
        return { id: "unmanaged-connectors", outs: inputs };
    },

    async read(id, props) {
        if (props === undefined) {
            return {};
        }
        const observed = withReport(props, await listUnmanaged(props, "read"));
        return { id, props: observed, inputs: observed };
    },

    async update(_id, _olds, news) {
        return { outs: news };
    },

    async delete() {
        // Reports only: nothing in the Connect cluster belongs to it.
    },
};
