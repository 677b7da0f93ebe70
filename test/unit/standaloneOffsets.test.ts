import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { readStandaloneOffsets, standaloneConnectorOffsets } from "../../components/migration/standaloneOffsets";
import { javaSerializedMap } from "./support/javaSerializedMap";

const FIXTURES = path.join(__dirname, "..", "..", "..", "test", "unit", "fixtures");
/** Written by a real connect-standalone (test/integration/makeStandaloneOffsetsFixture.ts). */
const FILE = fs.readFileSync(path.join(FIXTURES, "standalone.offsets"));
/** What that worker's own offsets API answered for each connector before it stopped. */
const ANSWERED = JSON.parse(fs.readFileSync(path.join(FIXTURES, "standalone.offsets.json"), "utf8")) as Record<
    string,
    unknown
>;

function rejects(run: () => unknown, message: string): void {
    assert.throws(run, (error: Error & { kind?: string }) => {
        assert.equal(error.message, message);
        assert.equal(error.kind, "invalid-input");
        return true;
    });
}

describe("standalone offsets", () => {
    it("reads what the standalone worker's offsets API answered, for every connector in the file", () => {
        assert.deepEqual(Object.fromEntries(readStandaloneOffsets(FILE)), ANSWERED);
        assert.deepEqual(standaloneConnectorOffsets(FILE, "orders-source"), ANSWERED["orders-source"]);
        assert.deepEqual(standaloneConnectorOffsets(FILE, "customers-source"), ANSWERED["customers-source"]);
    });

    it("reads a file connect-standalone of Kafka 3.9.1 (the oldest supported) wrote, as its API answered", () => {
        const file = fs.readFileSync(path.join(FIXTURES, "standalone-3.9.1.offsets"));
        const answered = JSON.parse(fs.readFileSync(path.join(FIXTURES, "standalone-3.9.1.offsets.json"), "utf8"));
        assert.deepEqual(Object.fromEntries(readStandaloneOffsets(file)), answered);
        assert.equal(readStandaloneOffsets(file).size, 2);
    });

    it("groups several partitions of one connector and leaves deleted offsets (null values) out", () => {
        const file = javaSerializedMap([
            ['["db",{"table":"a"}]', '{"id":7}'],
            ['["db",{"table":"b"}]', null],
            ['["db",{"table":"c"}]', '{"id":9}'],
            ['["other",{"table":"a"}]', null],
        ]);
        assert.deepEqual(standaloneConnectorOffsets(file, "db"), [
            { partition: { table: "a" }, offset: { id: 7 } },
            { partition: { table: "c" }, offset: { id: 9 } },
        ]);
        assert.deepEqual([...readStandaloneOffsets(file).keys()], ["db"]);
    });

    it("fails for a connector the file has no offsets for, naming those it has", () => {
        rejects(
            () => standaloneConnectorOffsets(FILE, "local-file-source"),
            'the standalone offsets file has no offsets for connector "local-file-source"; it holds offsets for ' +
                '"orders-source", "customers-source" (the name must be the one the connector had in standalone mode)',
        );
        rejects(
            () => standaloneConnectorOffsets(javaSerializedMap([]), "x"),
            'the standalone offsets file has no offsets for connector "x"; it holds none at all (the name must be ' +
                "the one the connector had in standalone mode)",
        );
    });

    it("rejects keys and values a standalone worker does not write", () => {
        const keyError = (index: number) =>
            `the standalone offsets file: entry ${index}'s key is not the JSON ["<connector>",{<partition>}] a ` +
            "standalone worker writes";
        const cases: [string | null, string, string][] = [
            ["not json", "{}", "the standalone offsets file: entry 1's key is not JSON"],
            ['{"a":1}', "{}", keyError(1)],
            ['["only-name"]', "{}", keyError(1)],
            ['[1,{"a":1}]', "{}", keyError(1)],
            ['["x","partition"]', "{}", keyError(1)],
            [null, "{}", keyError(1)],
            [
                '["x",{"a":1}]',
                "[1]",
                "the standalone offsets file: entry 1's value is not a JSON object " +
                    '(a source offset such as {"position":42})',
            ],
            ['["x",{"a":1}]', "{", "the standalone offsets file: entry 1's value is not JSON"],
        ];
        for (const [key, value, message] of cases) {
            rejects(
                () =>
                    readStandaloneOffsets(
                        javaSerializedMap([
                            ['["ok",{"a":1}]', "{}"],
                            [key, value],
                        ]),
                    ),
                message,
            );
        }
    });

    it("passes on the file's own errors", () => {
        rejects(
            () => readStandaloneOffsets(FILE.subarray(0, 20)),
            "the standalone offsets file ends after 20 bytes, in the middle of a class name: " +
                "it is truncated (copy it again " +
                "from the stopped standalone worker)",
        );
    });
});
