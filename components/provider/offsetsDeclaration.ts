/**
 * Declared offsets (KIP-875): their shape, checked with exact messages at preview, and their canonical form, so
 * that the provider applies a declaration once per change of its value. Pure: no REST call, no Pulumi import
 * (serialized with the provider; also used by the component for plain inputs).
 */
import { connectClusterError } from "../errors";
import type { DeclaredOffsets } from "./connectorTypes";

const TOP_KEYS: readonly string[] = ["reset", "set", "revision"];
const ENTRY_KEYS: readonly string[] = ["partition", "offset"];

/** Throws `invalid-input` naming the exact field when `value` is not a `DeclaredOffsets`. */
export function validateDeclaredOffsets(connector: string, value: unknown): asserts value is DeclaredOffsets {
    const field = `connectors["${connector}"].offsets`;
    const fail = (at: string, message: string): never => {
        throw connectClusterError("invalid-input", `${at} ${message}`, { field });
    };
    if (!isPlainObject(value) || "reset" in value === "set" in value) {
        fail(
            field,
            "must have exactly one of reset or set: { reset: true } deletes every offset, " +
                "{ set: [{ partition, offset }] } writes these.",
        );
    }
    const declared = value as Record<string, unknown>;
    const unknownKey = Object.keys(declared).find((key) => !TOP_KEYS.includes(key));
    if (unknownKey !== undefined) {
        fail(field, `has an unknown key "${unknownKey}": use reset or set, and optionally revision.`);
    }
    if (declared.revision !== undefined && typeof declared.revision !== "string") {
        fail(`${field}.revision`, "must be a string.");
    }
    if ("reset" in declared) {
        if (declared.reset !== true) {
            fail(`${field}.reset`, "must be true (to change no offset, remove offsets).");
        }
        return;
    }
    const set = declared.set;
    if (!Array.isArray(set) || set.length === 0) {
        fail(`${field}.set`, "must be a non-empty array of { partition, offset }; to delete every offset use reset.");
    }
    const seen = new Map<string, number>();
    (set as unknown[]).forEach((entry, index) => {
        const at = `${field}.set[${index}]`;
        validateEntry(at, entry, fail);
        const key = canonicalJson((entry as { partition: unknown }).partition) ?? "";
        const first = seen.get(key);
        if (first !== undefined) {
            fail(at, `repeats the partition of set[${first}]: give each partition once.`);
        }
        seen.set(key, index);
    });
}

function validateEntry(at: string, entry: unknown, fail: (at: string, message: string) => never): void {
    if (!isPlainObject(entry)) {
        fail(at, "must be an object { partition, offset }.");
    }
    const { partition, offset } = entry as Record<string, unknown>;
    const unknownKey = Object.keys(entry as object).find((key) => !ENTRY_KEYS.includes(key));
    if (unknownKey !== undefined) {
        fail(at, `has an unknown key "${unknownKey}": only partition and offset.`);
    }
    if (!isPlainObject(partition) || Object.keys(partition).length === 0) {
        fail(
            `${at}.partition`,
            "must be a non-empty object: a sink's { kafka_topic, kafka_partition }, or the source connector's own " +
                "keys (FileStreamSource: { filename }).",
        );
    }
    if (offset !== null && !isPlainObject(offset)) {
        fail(
            `${at}.offset`,
            "must be an object (a sink's { kafka_offset }, a source's own keys such as FileStreamSource's " +
                "{ position }) or null (deletes this partition's offset).",
        );
    }
    const sinkKeys = ["kafka_topic", "kafka_partition"].filter((key) => key in (partition as object));
    if (sinkKeys.length === 0) {
        return;
    }
    const sink = partition as Record<string, unknown>;
    if (typeof sink.kafka_topic !== "string" || sink.kafka_topic === "" || !isCount(sink.kafka_partition)) {
        fail(
            `${at}.partition`,
            "is a sink partition: it needs kafka_topic (a topic name) and kafka_partition (an integer >= 0).",
        );
    }
    if (offset !== null && !isCount((offset as Record<string, unknown>).kafka_offset)) {
        fail(`${at}.offset.kafka_offset`, "must be an integer >= 0: the next record the sink reads.");
    }
}

/** Whether the declared offsets differ, compared as canonical JSON (key order ignored). */
export function declaredOffsetsChanged(
    olds: { readonly offsets?: DeclaredOffsets },
    news: { readonly offsets?: DeclaredOffsets },
): boolean {
    return canonicalJson(olds.offsets) !== canonicalJson(news.offsets);
}

/** JSON with every object's keys sorted; `undefined` stays undefined. */
export function canonicalJson(value: unknown): string | undefined {
    return JSON.stringify(value, (_key, inner: unknown) =>
        isPlainObject(inner)
            ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : inner,
    );
}

/** A one-line account of what applying the declaration does, for messages. */
export function describeDeclaredOffsets(declared: DeclaredOffsets): string {
    return "reset" in declared
        ? "every offset deleted"
        : declared.set.map((entry) => `${canonicalJson(entry.partition)} -> ${canonicalJson(entry.offset)}`).join(", ");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
    return typeof value === "number" && Number.isInteger(value) && value >= 0;
}
