import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { readSerializedByteArrayMap } from "../../components/migration/javaSerialized";
import { javaSerializedMap } from "./support/javaSerializedMap";

const FIXTURE = path.join(__dirname, "..", "..", "..", "test", "unit", "fixtures", "standalone.offsets");
const WHAT = "the file";

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString("utf8"));
const read = (bytes: Uint8Array) =>
    readSerializedByteArrayMap(bytes, WHAT).map((entry) => [text(entry.key), text(entry.value)]);

/** Asserts `bytes` is rejected with exactly `message` (kind invalid-input). */
function rejects(bytes: Uint8Array, message: string): void {
    assert.throws(
        () => readSerializedByteArrayMap(bytes, WHAT),
        (error: Error & { kind?: string }) => {
            assert.equal(error.message, message);
            assert.equal(error.kind, "invalid-input");
            return true;
        },
    );
}

describe("readSerializedByteArrayMap", () => {
    const fixture = fs.readFileSync(FIXTURE);

    it("reads an offsets file a real connect-standalone wrote (a byte[] class back-reference each)", () => {
        assert.deepEqual(read(fixture), [
            ['["orders-source",{"filename":"orders-source.txt"}]', '{"position":2640}'],
            ['["customers-source",{"filename":"customers-source.txt"}]', '{"position":1125}'],
        ]);
    });

    it("the test encoder writes the fixture's entries byte for byte as Java did", () => {
        const entries = readSerializedByteArrayMap(fixture, WHAT).map((e) => [e.key, e.value] as const);
        assert.deepEqual(javaSerializedMap(entries), fixture);
    });

    it("reads an empty map, null keys and values, and many entries (long block data is not needed)", () => {
        assert.deepEqual(read(javaSerializedMap([])), []);
        assert.deepEqual(
            read(
                javaSerializedMap([
                    ["k", null],
                    [null, "v"],
                ]),
            ),
            [
                ["k", null],
                [null, "v"],
            ],
        );
        const many = Array.from({ length: 300 }, (_, i) => [`k${i}`, `v${i}`] as const);
        assert.deepEqual(read(javaSerializedMap(many)), many);
    });

    it("rejects what is not a Java-serialized file", () => {
        rejects(
            Buffer.from("offset.storage.file.filename=/tmp/x\n"),
            "the file is not a Java-serialized file (connect-standalone's offsets file starts with aced0005, this " +
                "one with 6f666673)",
        );
        rejects(
            Buffer.alloc(0),
            "the file is not a Java-serialized file (connect-standalone's offsets file starts with aced0005, this " +
                "one with nothing)",
        );
    });

    it("rejects another class than java.util.HashMap", () => {
        rejects(
            javaSerializedMap([["k", "v"]], "java.util.TreeMap"),
            "the file holds a java.util.TreeMap, not the java.util.HashMap connect-standalone writes",
        );
    });

    it("rejects every truncation of the real file, naming it truncated", () => {
        for (let length = 4; length < fixture.length; length++) {
            assert.throws(
                () => readSerializedByteArrayMap(fixture.subarray(0, length), WHAT),
                (error: Error) => error.message.startsWith(`the file ends after ${length} bytes, in the middle of `),
                `cut at ${length}`,
            );
        }
        rejects(
            fixture.subarray(0, fixture.length - 1),
            `the file ends after ${fixture.length - 1} bytes, in the middle of the end of the map: it is truncated ` +
                "(copy it again from the stopped standalone worker)",
        );
    });

    it("rejects corrupt bytes where a byte array, a reference or the end of the map belongs", () => {
        const corrupt = (at: number, value: number) => {
            const copy = Buffer.from(fixture);
            copy[at] = value;
            return copy;
        };
        const firstArray = fixture.indexOf(Buffer.from([0x75, 0x72]));
        rejects(
            corrupt(firstArray, 0x74),
            `the file is corrupt at byte ${firstArray + 1}: found tag 0x74 where a byte array was expected`,
        );
        const reference = fixture.indexOf(Buffer.from("71007e0002", "hex"));
        rejects(
            corrupt(reference + 4, 0x09),
            `the file is corrupt at byte ${reference + 5}: found a reference to handle 9, which does not exist`,
        );
        rejects(
            corrupt(fixture.length - 1, 0x70),
            `the file is corrupt at byte ${fixture.length}: found tag 0x70 where the end of the map was expected`,
        );
    });
});
