/**
 * The seed's migration through the real Pulumi engine: a standalone worker ran the seed's sink and a
 * FileStreamSource and was stopped; a stack then declares both connectors under the same names on 2 distributed
 * workers. The sink goes on from its consumer group; the source is declared with `offsets: { set }`, the offsets
 * read from the standalone worker's offsets file, so it is created stopped, given them, and started: every record
 * exactly once across the switch, in one `up`.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { Stack } from "@pulumi/pulumi/automation";
import { standaloneConnectorOffsets } from "../../components/migration/standaloneOffsets";
import { Connector } from "../../components/provider/connector";
import { createRunDir, useCluster, waitFor } from "../integration/harness";
import { fileSourceConfig, seedSinkConfig } from "../integration/migrationSupport";
import { countRecords, deliveryReport, recordValues, waitForLagZero } from "../integration/support";
import { inlineStack, prepareEngine } from "./support";

const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };
const SINK_TOPIC = "szcode2.qa.avro.server";
const SOURCE_TOPIC = "lines";
const built = prepareEngine(["cli"]);

describe("migration from standalone through the real Pulumi engine", { skip: built.ok ? false : built.reason }, () => {
    const cluster = useCluster({ workers: 2, groupId: "local-file-sink", label: "e2e-migration" });
    let stack: Stack;
    let offsetsFile: string;
    const sinkFile = () => `${cluster().runDir}/test.sink.txt`;
    const inputFile = () => `${cluster().runDir}/input.txt`;
    const lines = (from: number, count: number) =>
        recordValues("line", from, count)
            .map((l) => `${l}\n`)
            .join("");
    const topicValues = async () => {
        const counts = new Map<string, number>();
        for (const record of await cluster().broker.consume(SOURCE_TOPIC, 10_000)) {
            counts.set(record.value ?? "", (counts.get(record.value ?? "") ?? 0) + 1);
        }
        return counts;
    };

    before(async () => {
        const { broker } = cluster();
        await broker.createTopics([
            { name: SINK_TOPIC, partitions: 2 },
            { name: SOURCE_TOPIC, partitions: 1 },
        ]);
        fs.writeFileSync(inputFile(), lines(0, 300));
        const standalone = await cluster().startStandaloneWorker({
            name: "standalone",
            connectors: [
                { name: "local-file-sink", ...seedSinkConfig(SINK_TOPIC, sinkFile()) },
                { name: "local-file-source", ...fileSourceConfig(inputFile(), SOURCE_TOPIC) },
            ],
        });
        await broker.produce(SINK_TOPIC, recordValues("sink", 0, 100));
        await waitFor(
            "the standalone worker to write 100 records and copy 300 lines",
            async () =>
                countRecords([sinkFile()], "sink").size === 100 && (await topicValues()).size === 300
                    ? true
                    : undefined,
            { timeoutMs: 120_000, intervalMs: 1_000 },
        );
        await standalone.stop();
        offsetsFile = standalone.offsetsFile;

        const run = createRunDir("e2e-migration-engine");
        const backend = path.join(run.path, "state");
        fs.mkdirSync(backend);
        const access = { url: { baseUrl: cluster().restUrl(0) } };
        const program = async () => {
            const sink = new Connector("local-file-sink", {
                name: "local-file-sink",
                config: seedSinkConfig(SINK_TOPIC, sinkFile()),
                access,
                readyTimeoutMs: 90_000,
            });
            // What a user's program does: read the copied offsets file, declare its offsets for the first run.
            const offsets = standaloneConnectorOffsets(fs.readFileSync(offsetsFile), "local-file-source");
            const source = new Connector("local-file-source", {
                name: "local-file-source",
                config: fileSourceConfig(inputFile(), SOURCE_TOPIC),
                offsets: { set: offsets },
                access,
                readyTimeoutMs: 90_000,
            });
            return { sink: sink.connectorState, source: source.connectorState };
        };
        stack = await inlineStack(
            "connectcluster-e2e-migration",
            program,
            run.path,
            backend,
            "e2e-migration-passphrase",
        );
    });

    after(async () => {
        await stack?.workspace.removeStack("dev", { force: true }).catch(() => undefined);
    });

    test("the standalone offsets file holds the source's position: 300 lines of 13 bytes", () => {
        assert.deepEqual(standaloneConnectorOffsets(fs.readFileSync(offsetsFile), "local-file-source"), [
            { partition: { filename: inputFile() }, offset: { position: 300 * 13 } },
        ]);
    });

    test("one up: the sink, same name, goes on from its commits; the source from the carried offsets", async () => {
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { create: 3 });
        assert.equal(up.outputs.sink.value, "RUNNING");
        assert.equal(up.outputs.source.value, "RUNNING");
        await cluster().broker.produce(SINK_TOPIC, recordValues("sink", 100, 100));
        fs.appendFileSync(inputFile(), lines(300, 100));
        await waitForLagZero(cluster().broker, "connect-local-file-sink", 2);
        assert.deepEqual(
            deliveryReport(recordValues("sink", 0, 200), countRecords([sinkFile()], "sink")),
            EXACTLY_ONCE,
        );
        await waitFor("400 lines in the topic", async () => ((await topicValues()).size === 400 ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 1_000,
        });
        // A line read twice would be sent at once: give a late copy a moment to show up before counting.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        assert.deepEqual(deliveryReport(recordValues("line", 0, 400), await topicValues()), EXACTLY_ONCE);
    });

    test("a second up changes nothing: the offsets are applied once, not again", async () => {
        const up = await stack.up();
        assert.deepEqual(up.summary.resourceChanges, { same: 3 });
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        assert.deepEqual(deliveryReport(recordValues("line", 0, 400), await topicValues()), EXACTLY_ONCE);
    });
});
