/**
 * One `GET /connectors?expand=info&expand=status` per target and run serves every connector's `read` in a refresh,
 * every connector's failed-task check in a preview or `up`, and the unmanaged-connectors report, instead of calls
 * per connector (or a second listing). Shared by every dynamic resource type of the provider process
 * (rest/processShared.ts).
 */
import { processShared } from "../rest/processShared";
import { PROVIDER_DEFAULTS } from "../rest/providerDefaults";
import type { ConnectorInfo, ConnectorStatus, ConnectRestClient } from "../rest/restClient";

type Snapshot = Record<string, { info: ConnectorInfo; status: ConnectorStatus }>;

interface Entry {
    /** When the listing arrived; undefined while it is under way (every reader then waits for that one). */
    arrivedAt?: number;
    /** When a reader last used it: each read within the window of the previous one extends it. */
    usedAt?: number;
    /** When it failed: readers that accept a failed listing (`reuseFailure`) get the same error, without a wait. */
    failedAt?: number;
    readonly snapshot: Promise<Snapshot>;
}

/**
 * A listing serves every read within this window of the previous read (counted from its answer for the first): the
 * engine checks or reads the connectors of a run one after another, so they share one listing however long the run
 * takes, and a listing of hundreds of connectors on a loaded cluster may itself take longer than the window.
 */
export const SNAPSHOT_TTL_MS = PROVIDER_DEFAULTS.snapshotTtlMs;
/** No listing serves reads for longer than this after it arrived. */
export const SNAPSHOT_MAX_AGE_MS = PROVIDER_DEFAULTS.snapshotMaxAgeMs;
function cache(): Map<string, Entry> {
    return processShared("snapshotCache@1", () => new Map<string, Entry>());
}

/**
 * The target: the base URL (for the service proxy it names the API server, namespace, service and port). Never the
 * headers: with a rotating token (an exec credential plugin's) every read would miss the listing.
 */
function keyOf(client: ConnectRestClient): string {
    return client.target.baseUrl.replace(/\/+$/, "");
}

export interface ListingOptions {
    /**
     * Serve a listing that failed in this process as the same failure instead of asking again: for checks at preview
     * time, where one unreachable target should cost one wait per provider process, not one per connector. Reads
     * (refresh) ask again. Default: false.
     */
    readonly reuseFailure?: boolean;
}

/** Every connector of the target with its info and status, from the shared listing. */
export function listing(client: ConnectRestClient, options: ListingOptions = {}): Promise<Snapshot> {
    const key = keyOf(client);
    const entry = cache().get(key);
    const now = Date.now();
    if (entry !== undefined && usable(entry, now, options)) {
        if (entry.arrivedAt !== undefined) {
            entry.usedAt = now;
        }
        return entry.snapshot;
    }
    const fresh: Entry = { snapshot: client.listConnectorsExpanded() };
    cache().set(key, fresh);
    fresh.snapshot.then(
        () => (fresh.arrivedAt = fresh.usedAt = Date.now()),
        () => (fresh.failedAt = Date.now()),
    );
    return fresh.snapshot;
}

function usable(entry: Entry, now: number, options: ListingOptions): boolean {
    if (entry.failedAt !== undefined) {
        return options.reuseFailure === true;
    }
    if (entry.arrivedAt === undefined || entry.usedAt === undefined) {
        return true; // under way
    }
    return now - entry.usedAt <= SNAPSHOT_TTL_MS && now - entry.arrivedAt <= SNAPSHOT_MAX_AGE_MS;
}

/** The connector's stored config and status, or undefined when it does not exist. */
export async function snapshotOf(
    client: ConnectRestClient,
    name: string,
    options: ListingOptions = {},
): Promise<{ config: Record<string, string>; status: ConnectorStatus } | undefined> {
    const found = (await listing(client, options))[name];
    return found === undefined ? undefined : { config: found.info.config, status: found.status };
}

/** Forgets the target's listing after a write through this client, so the next read (by any client) sees it. */
export function invalidateSnapshot(client: ConnectRestClient): void {
    cache().delete(keyOf(client));
}

/** Forgets every listing (tests start each case from a fresh provider process's view). */
export function forgetListings(): void {
    cache().clear();
}
