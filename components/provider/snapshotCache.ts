/**
 * One `GET /connectors?expand=info&expand=status` serves every connector's `read` in a refresh,
 * instead of two calls per connector. Shared through globalThis because each connector resource
 * deserializes its own copy of the provider's code into the same provider process.
 */
import { PROVIDER_DEFAULTS } from "../rest/providerDefaults";
import type { ConnectorInfo, ConnectorStatus, ConnectRestClient } from "../rest/restClient";

type Snapshot = Record<string, { info: ConnectorInfo; status: ConnectorStatus }>;

interface Entry {
    readonly fetchedAt: number;
    readonly snapshot: Promise<Snapshot>;
}

/** Reads within this window share one listing; a refresh of hundreds of connectors fits in it. */
export const SNAPSHOT_TTL_MS = PROVIDER_DEFAULTS.snapshotTtlMs;
const GLOBAL_KEY = "__connectClusterSnapshotCache";

function cache(): Map<string, Entry> {
    const holder = globalThis as unknown as Record<string, Map<string, Entry> | undefined>;
    holder[GLOBAL_KEY] = holder[GLOBAL_KEY] ?? new Map<string, Entry>();
    return holder[GLOBAL_KEY];
}

/**
 * The target: the base URL (for the service proxy it names the API server, namespace, service and port). Never the
 * headers: with a rotating token (an exec credential plugin's) every read would miss the listing.
 */
function keyOf(client: ConnectRestClient): string {
    return client.target.baseUrl.replace(/\/+$/, "");
}

/** The connector's stored config and status, or undefined when it does not exist. */
export async function snapshotOf(
    client: ConnectRestClient,
    name: string,
): Promise<{ config: Record<string, string>; status: ConnectorStatus } | undefined> {
    const key = keyOf(client);
    let entry = cache().get(key);
    if (entry === undefined || Date.now() - entry.fetchedAt > SNAPSHOT_TTL_MS) {
        entry = { fetchedAt: Date.now(), snapshot: client.listConnectorsExpanded() };
        cache().set(key, entry);
        // A failed listing must not be served to the next reader.
        entry.snapshot.catch(() => cache().delete(key));
    }
    const found = (await entry.snapshot)[name];
    return found === undefined ? undefined : { config: found.info.config, status: found.status };
}

/** Forgets the target's listing after a write through this client, so the next read (by any client) sees it. */
export function invalidateSnapshot(client: ConnectRestClient): void {
    cache().delete(keyOf(client));
}
