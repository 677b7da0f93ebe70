/**
 * A standalone worker's source offsets, as the Kafka Connect offsets API (KIP-875) takes them: what a migration
 * to distributed mode writes to the new connector before it first runs, so that it goes on where the
 * standalone worker stopped instead of reading everything again.
 *
 * The standalone worker keeps them in `offset.storage.file.filename`, a Java-serialized map whose keys are the
 * JSON `["<connector>",{<source partition>}]` and values the JSON `{<source offset>}` (null once deleted).
 * Sink connectors keep nothing there: their position is their consumer group `connect-<name>` in Kafka, which a
 * distributed connector of the same name reuses as it is. Pure: no Pulumi, no I/O (read the file yourself).
 */
import { connectClusterError } from "../errors";
import { readSerializedByteArrayMap } from "./javaSerialized";

/** A source partition and its offset, as `PATCH /connectors/<name>/offsets` takes them. */
export interface StandaloneOffset {
    readonly partition: Record<string, unknown>;
    readonly offset: Record<string, unknown>;
}

const WHAT = "the standalone offsets file";

/** Every connector's offsets in the file, by connector name (deleted offsets left out). */
export function readStandaloneOffsets(file: Uint8Array): Map<string, StandaloneOffset[]> {
    const byConnector = new Map<string, StandaloneOffset[]>();
    readSerializedByteArrayMap(file, WHAT).forEach((entry, index) => {
        if (entry.value === null) {
            return;
        }
        const [connector, partition] = parseKey(entry.key, index);
        const offset = parseJson(entry.value, index, "value");
        if (!isObject(offset)) {
            throw connectClusterError(
                "invalid-input",
                `${WHAT}: entry ${index}'s value is not a JSON object (a source offset such as {"position":42})`,
            );
        }
        byConnector.set(connector, [...(byConnector.get(connector) ?? []), { partition, offset }]);
    });
    return byConnector;
}

/**
 * The offsets `connector` committed in the file, e.g. `[{ partition: { filename: "/data/in.txt" }, offset: {
 * position: 4096 } }]`. Fails, naming the connectors the file does hold, when it has none for `connector`:
 * migrating with a misspelt name would otherwise start the source from the beginning again.
 */
export function standaloneConnectorOffsets(file: Uint8Array, connector: string): StandaloneOffset[] {
    const all = readStandaloneOffsets(file);
    const offsets = all.get(connector);
    if (offsets === undefined) {
        const held = [...all.keys()].map((name) => JSON.stringify(name)).join(", ");
        throw connectClusterError(
            "invalid-input",
            `${WHAT} has no offsets for connector ${JSON.stringify(connector)}; ` +
                (held === "" ? "it holds none at all" : `it holds offsets for ${held}`) +
                " (the name must be the one the connector had in standalone mode)",
        );
    }
    return offsets;
}

function parseKey(key: Uint8Array | null, index: number): [string, Record<string, unknown>] {
    const parsed = key === null ? null : parseJson(key, index, "key");
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== "string" || !isObject(parsed[1])) {
        throw connectClusterError(
            "invalid-input",
            `${WHAT}: entry ${index}'s key is not the JSON ["<connector>",{<partition>}] a standalone worker writes`,
        );
    }
    return [parsed[0], parsed[1]];
}

function parseJson(bytes: Uint8Array, index: number, part: "key" | "value"): unknown {
    try {
        return JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
    } catch {
        throw connectClusterError("invalid-input", `${WHAT}: entry ${index}'s ${part} is not JSON`);
    }
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
