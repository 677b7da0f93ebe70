/**
 * Offsets as code (KIP-875) on 2 real workers, through the provider as the engine calls it: a FileStreamSource
 * created with declared offsets starts at that position (the migration path), and set to another position later
 * continues from it; a FileStreamSink rewound to offset N re-delivers exactly the records from N on. A declaration
 * is applied once: the same one again is no change, and a refresh does not turn it into drift.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import {
    connectorProvider,
    ConnectorInputs,
    ConnectorOutputs,
    DeclaredOffsets,
} from "../../components/provider/connectorProvider";
import { ConnectorConfig } from "../../components/provider/connectorConfig";
import { useCluster, waitFor } from "./harness";
import { createWith, declareOffsets, sinkRewindScenario } from "./offsetScenarios";
import { FILE_SOURCE, ProviderDriver, recordValues } from "./support";

const provider = connectorProvider as Required<typeof connectorProvider>;
const SOURCE_TOPIC = "source-out";
/** Every source line is `src-NNNNNNN` and a newline: line i starts at byte 12 * i. */
const LINE_BYTES = 12;

describe("offsets as code on 2 real workers", () => {
    const cluster = useCluster({ workers: 2, groupId: "offsets-code", label: "offsets-code" });
    const driver = new ProviderDriver(() => cluster().restUrl(0));
    const sourceFile = () => `${cluster().runDir}/source-in.txt`;

    const create = (name: string, config: ConnectorConfig, extra: Partial<ConnectorInputs>) =>
        createWith(driver, name, config, extra);
    const declare = (olds: ConnectorOutputs, offsets: DeclaredOffsets) => declareOffsets(driver, olds, offsets);

    /** How often each `src-` line is in the source topic. */
    async function sourceCounts(): Promise<Map<string, number>> {
        const counts = new Map<string, number>();
        for (const record of await cluster().broker.consume(SOURCE_TOPIC, 10_000)) {
            for (const token of record.value?.match(/src-\d{7}/g) ?? []) {
                counts.set(token, (counts.get(token) ?? 0) + 1);
            }
        }
        return counts;
    }

    /** Waits until the source topic holds each of `lines` `times` times. */
    async function waitForLines(lines: readonly string[], times: number): Promise<Map<string, number>> {
        return waitFor(
            `${lines.length} source lines (${lines[0]}…) ${times}x in ${SOURCE_TOPIC}`,
            async () => {
                const counts = await sourceCounts();
                return lines.every((line) => (counts.get(line) ?? 0) >= times) ? counts : undefined;
            },
            { timeoutMs: 180_000, intervalMs: 2_000 },
        );
    }

    test("create with offsets: a FileStreamSource starts at the declared position, then continues", async () => {
        await cluster().broker.createTopic({ name: SOURCE_TOPIC, partitions: 1 });
        const lines = recordValues("src", 0, 100);
        fs.writeFileSync(sourceFile(), lines.map((line) => `${line}\n`).join(""));
        assert.equal(fs.statSync(sourceFile()).size, 100 * LINE_BYTES);
        const config = { "connector.class": FILE_SOURCE, "tasks.max": "1", file: sourceFile(), topic: SOURCE_TOPIC };
        const at = (line: number): DeclaredOffsets => ({
            set: [{ partition: { filename: sourceFile() }, offset: { position: line * LINE_BYTES } }],
        });
        const created = await create("mover", config, { offsets: at(40), readOffsets: true });
        assert.equal(created.connectorState, "RUNNING");

        let counts = await waitForLines(lines.slice(40), 1);
        const appended = recordValues("src", 100, 20);
        fs.appendFileSync(sourceFile(), appended.map((line) => `${line}\n`).join(""));
        counts = await waitForLines(appended, 1);
        assert.deepEqual(
            lines.slice(0, 40).filter((line) => counts.has(line)),
            [],
            "no line before the declared position was read",
        );
        assert.deepEqual(
            [...lines.slice(40), ...appended].filter((line) => counts.get(line) !== 1),
            [],
            "every line from the declared position on, once",
        );

        // Set to another position on the running connector: stopped, rewound to line 100, started again.
        const moved = await declare(created, at(100));
        assert.equal(moved.changed, true);
        assert.equal(moved.outs.connectorState, "RUNNING");
        counts = await waitForLines(appended, 2);
        assert.deepEqual(
            [...lines.slice(40), ...appended].map((line) => counts.get(line)),
            [...lines.slice(40).map(() => 1), ...appended.map(() => 2)],
            "lines 40-99 once, 100-119 again from the new position",
        );
        assert.equal(lines.slice(0, 40).filter((line) => counts.has(line)).length, 0);

        // Applied once: the same declaration again is no change, and after a refresh neither.
        assert.equal((await declare(moved.outs, at(100))).changed, false);
        const refreshed = (await provider.read("mover", moved.outs)).props as ConnectorOutputs;
        assert.deepEqual(refreshed.offsets, at(100));
        assert.equal((await declare(refreshed, at(100))).changed, false);
        assert.deepEqual(
            refreshed.currentOffsets,
            [{ partition: { filename: sourceFile() }, offset: { position: 120 * LINE_BYTES } }],
            "readOffsets: the source's committed position, at the end of the file",
        );
    });

    test("a FileStreamSink rewound to offset 60 re-delivers exactly the records from offset 60 on", async () => {
        await sinkRewindScenario(cluster(), { connector: "rewinder", topic: "rewind-in" });
    });
});
