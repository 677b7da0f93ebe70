/**
 * Offsets as code through the real Pulumi engine against 2 real Connect workers: the preview of a changed `offsets`
 * input shows the new value, `up` says what it writes (a warning in its diagnostics) and rewinds a FileStreamSink
 * exactly once (a second `up`, and a refresh, change nothing), and `readOffsets` puts the committed offsets in the
 * stack outputs.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import * as fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { Stack } from "@pulumi/pulumi/automation";
import { Connector } from "../../components/provider/connector";
import type { DeclaredOffsets } from "../../components/provider/connectorTypes";
import { createRunDir, useCluster, waitFor } from "../integration/harness";
import { countRecords, FILE_SINK, recordValues, waitForLagZero } from "../integration/support";
import { inlineStack, prepareEngine } from "./support";

const built = prepareEngine(["cli"]);
const TOPIC = "e2e-offsets-in";

describe("offsets as code through the real Pulumi engine", { skip: built.ok ? false : built.reason }, () => {
    const cluster = useCluster({ workers: 2, groupId: "e2e-offsets", label: "e2e-offsets" });
    const sinkFile = () => `${cluster().runDir}/e2e-offsets.txt`;
    const records = recordValues("eo", 0, 30);
    let offsets: DeclaredOffsets | undefined;
    let stack: Stack;

    before(async () => {
        await cluster().broker.createTopic({ name: TOPIC, partitions: 1 });
        await cluster().broker.produce(TOPIC, records);
        const run = createRunDir("e2e-offsets-engine");
        const backend = path.join(run.path, "state");
        fs.mkdirSync(backend);
        const program = async () => {
            const connector = new Connector("e2e-offsets", {
                name: "e2e-offsets",
                config: { "connector.class": FILE_SINK, "tasks.max": "1", topics: TOPIC, file: sinkFile() },
                offsets,
                readOffsets: true,
                access: { url: { baseUrl: cluster().restUrl(0) } },
                readyTimeoutMs: 90_000,
            });
            return { state: connector.connectorState, offsets: connector.currentOffsets };
        };
        stack = await inlineStack("connectcluster-e2e-offsets", program, run.path, backend, "e2e-passphrase");
    });

    after(async () => {
        await stack?.destroy().catch(() => undefined);
        await stack?.workspace.removeStack("dev", { force: true }).catch(() => undefined);
    });

    test("up creates the sink; it writes the 30 records once and commits them", async () => {
        const up = await stack.up();
        assert.equal(up.outputs.state.value, "RUNNING");
        await waitFor(
            "30 records in the sink file",
            () => (countRecords([sinkFile()], "eo").size === 30 ? true : undefined),
            { timeoutMs: 120_000 },
        );
        await waitForLagZero(cluster().broker, "connect-e2e-offsets", 1);
    });

    test("the preview of new offsets shows them; up says what it rewinds and rewinds exactly once", async () => {
        offsets = { set: [{ partition: { kafka_topic: TOPIC, kafka_partition: 0 }, offset: { kafka_offset: 10 } }] };
        const preview = await stack.preview({ diff: true });
        assert.deepEqual(preview.changeSummary, { same: 1, update: 1 }, preview.stdout);
        assert.match(preview.stdout, /\+ offsets\s*:/, preview.stdout);
        assert.match(preview.stdout, /\+ kafka_offset\s*:\s*10\n/, preview.stdout);
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: 1, update: 1 }, up.stdout);
        assert.match(
            up.stdout,
            new RegExp(
                String.raw`connector "e2e-offsets": up will stop it, write its offsets \(\{"kafka_partition":0,` +
                    String.raw`"kafka_topic":"${TOPIC}"\} -> \{"kafka_offset":10\}\) and put it back running\.`,
            ),
            up.stdout,
        );
        assert.equal(up.outputs.state.value, "RUNNING");
        const counts = await waitFor(
            "records 10-29 written a second time",
            () => {
                const counts = countRecords([sinkFile()], "eo");
                return records.slice(10).every((value) => counts.get(value) === 2) ? counts : undefined;
            },
            { timeoutMs: 120_000 },
        );
        assert.deepEqual(
            records.map((value) => counts.get(value)),
            [...records.slice(0, 10).map(() => 1), ...records.slice(10).map(() => 2)],
        );
    });

    test("a second up and a refresh change nothing; the committed offsets are in the stack outputs", async () => {
        await waitForLagZero(cluster().broker, "connect-e2e-offsets", 1);
        const again = await stack.up();
        assert.deepEqual(again.summary.resourceChanges, { same: 2 }, again.stdout);
        await new Promise((resolve) => setTimeout(resolve, 2_100));
        await stack.refresh();
        const preview = await stack.preview({ diff: true });
        assert.deepEqual(preview.changeSummary, { same: 2 }, preview.stdout);
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: 2 }, up.stdout);
        assert.deepEqual(up.outputs.offsets.value, [
            { partition: { kafka_topic: TOPIC, kafka_partition: 0 }, offset: { kafka_offset: 30 } },
        ]);
        const counts = countRecords([sinkFile()], "eo");
        assert.deepEqual(
            records.map((value) => counts.get(value)),
            [...records.slice(0, 10).map(() => 1), ...records.slice(10).map(() => 2)],
            "nothing rewound again",
        );
    });
});
