/**
 * Declared offsets: the shapes accepted, each rejected shape's exact message and field, and the canonical
 * comparison that applies a declaration once per change of its value.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    canonicalJson,
    declaredOffsetsChanged,
    describeDeclaredOffsets,
    validateDeclaredOffsets,
} from "../../components/provider/offsetsDeclaration";

const FIELD = 'connectors["s"].offsets';
const sinkEntry = { partition: { kafka_topic: "orders", kafka_partition: 0 }, offset: { kafka_offset: 5 } };
const sourceEntry = { partition: { filename: "/data/in.txt" }, offset: { position: 120 } };

describe("validateDeclaredOffsets", () => {
    const accepted: readonly unknown[] = [
        { reset: true },
        { reset: true, revision: "2026-12-02" },
        { set: [sinkEntry] },
        { set: [sinkEntry, { ...sinkEntry, partition: { kafka_topic: "orders", kafka_partition: 1 } }] },
        { set: [{ ...sinkEntry, offset: null }], revision: "r2" },
        { set: [sourceEntry] },
        { set: [{ partition: { server: "db1", table: "t" }, offset: { lsn: "0/16B3748" } }] },
    ];
    for (const value of accepted) {
        it(`accepts ${JSON.stringify(value)}`, () => {
            assert.doesNotThrow(() => validateDeclaredOffsets("s", value));
        });
    }

    const rejected: readonly { value: unknown; message: string }[] = [
        {
            value: {},
            message:
                `${FIELD} must have exactly one of reset or set: { reset: true } deletes every offset, ` +
                "{ set: [{ partition, offset }] } writes these.",
        },
        {
            value: { reset: true, set: [sinkEntry] },
            message:
                `${FIELD} must have exactly one of reset or set: { reset: true } deletes every offset, ` +
                "{ set: [{ partition, offset }] } writes these.",
        },
        {
            value: [sinkEntry],
            message:
                `${FIELD} must have exactly one of reset or set: { reset: true } deletes every offset, ` +
                "{ set: [{ partition, offset }] } writes these.",
        },
        {
            value: { reset: true, when: "now" },
            message: `${FIELD} has an unknown key "when": use reset or set, and optionally revision.`,
        },
        { value: { reset: true, revision: 2 }, message: `${FIELD}.revision must be a string.` },
        { value: { reset: false }, message: `${FIELD}.reset must be true (to change no offset, remove offsets).` },
        {
            value: { set: [] },
            message:
                `${FIELD}.set must be a non-empty array of { partition, offset }; ` +
                "to delete every offset use reset.",
        },
        { value: { set: ["x"] }, message: `${FIELD}.set[0] must be an object { partition, offset }.` },
        {
            value: { set: [{ ...sinkEntry, topic: "orders" }] },
            message: `${FIELD}.set[0] has an unknown key "topic": only partition and offset.`,
        },
        {
            value: { set: [{ partition: {}, offset: { position: 1 } }] },
            message:
                `${FIELD}.set[0].partition must be a non-empty object: a sink's { kafka_topic, kafka_partition }, ` +
                "or the source connector's own keys (FileStreamSource: { filename }).",
        },
        {
            value: { set: [{ partition: { filename: "/f" }, offset: 12 }] },
            message:
                `${FIELD}.set[0].offset must be an object (a sink's { kafka_offset }, a source's own keys such as ` +
                "FileStreamSource's { position }) or null (deletes this partition's offset).",
        },
        {
            value: { set: [{ partition: { filename: "/f" } }] },
            message:
                `${FIELD}.set[0].offset must be an object (a sink's { kafka_offset }, a source's own keys such as ` +
                "FileStreamSource's { position }) or null (deletes this partition's offset).",
        },
        {
            value: {
                set: [{ partition: { kafka_topic: "orders", kafka_partition: "0" }, offset: { kafka_offset: 1 } }],
            },
            message:
                `${FIELD}.set[0].partition is a sink partition: it needs kafka_topic (a topic name) and ` +
                "kafka_partition (an integer >= 0).",
        },
        {
            value: { set: [sinkEntry, { ...sinkEntry, offset: { kafka_offset: 9 } }] },
            message: `${FIELD}.set[1] repeats the partition of set[0]: give each partition once.`,
        },
        {
            value: { set: [{ ...sinkEntry, offset: { kafka_offset: 1.5 } }] },
            message: `${FIELD}.set[0].offset.kafka_offset must be an integer >= 0: the next record the sink reads.`,
        },
    ];
    for (const row of rejected) {
        it(`rejects ${JSON.stringify(row.value)}`, () => {
            assert.throws(() => validateDeclaredOffsets("s", row.value), {
                name: "ConnectClusterError",
                kind: "invalid-input",
                field: FIELD,
                message: row.message,
            });
        });
    }
});

describe("declared offsets comparison", () => {
    it("ignores key order, sees a new revision, a new value and a removed declaration", () => {
        const olds = { offsets: { set: [sinkEntry], revision: "1" } };
        const reordered = {
            offsets: {
                revision: "1",
                set: [{ offset: { kafka_offset: 5 }, partition: { kafka_partition: 0, kafka_topic: "orders" } }],
            },
        };
        assert.equal(declaredOffsetsChanged(olds, reordered), false);
        assert.equal(declaredOffsetsChanged(olds, { offsets: { ...olds.offsets, revision: "2" } }), true);
        assert.equal(
            declaredOffsetsChanged(olds, { offsets: { set: [{ ...sinkEntry, offset: { kafka_offset: 6 } }] } }),
            true,
        );
        assert.equal(declaredOffsetsChanged(olds, {}), true);
        assert.equal(declaredOffsetsChanged({}, {}), false);
        assert.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{"a":[{"c":2,"d":1}],"b":1}');
    });

    it("describes what will be written", () => {
        assert.equal(describeDeclaredOffsets({ reset: true }), "every offset deleted");
        assert.equal(
            describeDeclaredOffsets({ set: [sinkEntry, { ...sourceEntry, offset: null }] }),
            '{"kafka_partition":0,"kafka_topic":"orders"} -> {"kafka_offset":5}, {"filename":"/data/in.txt"} -> null',
        );
    });
});
