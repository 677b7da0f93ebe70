/**
 * The seed's migration from standalone to distributed mode, on real workers (a connect-standalone worker as the
 * seed ran it, then 2 distributed workers started from our rendered properties, group.id local-file-sink):
 *  - the seed's sink keeps its progress by keeping its name: its consumer group connect-local-file-sink holds
 *    the committed offsets, so the distributed connector goes on where the standalone one stopped;
 *  - a FileStreamSource keeps its progress only if the standalone worker's offsets file is carried over: read
 *    with standaloneConnectorOffsets and written with the offsets API before the connector first runs.
 * Both under a steady stream, both checked record by record: none lost, none twice.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { readStandaloneOffsets, standaloneConnectorOffsets } from "../../components/migration/standaloneOffsets";
import { sleep, useCluster, waitFor } from "./harness";
import { fileSourceConfig, GrowingFile, migrateSource, seedSinkConfig } from "./migrationSupport";
import { countRecords, deliveryReport, ProviderDriver, recordValues, restClient, waitForLagZero } from "./support";

const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };
/** The seed's topic. */
const TOPIC = "szcode2.qa.avro.server";
const PARTITIONS = 2;

describe("migration from standalone to distributed (the seed's journey)", () => {
    const cluster = useCluster({ workers: 2, groupId: "local-file-sink", label: "migration" });
    const file = (name: string) => `${cluster().runDir}/${name}`;

    test("sink: the same name in the cluster goes on from the standalone worker's commits; every record once", async () => {
        const { broker } = cluster();
        await broker.createTopic({ name: TOPIC, partitions: PARTITIONS });
        const sinkFile = file("test.sink.txt");
        const standalone = await cluster().startStandaloneWorker({
            name: "standalone-sink",
            connectors: [{ name: "local-file-sink", ...seedSinkConfig(TOPIC, sinkFile) }],
        });
        const producer = broker.startSteadyProducer({ topic: TOPIC, prefix: "sink", ratePerSecond: 50 });
        const written = () => countRecords([sinkFile], "sink").size;
        await waitFor("200 records written by the standalone sink", () => (written() >= 200 ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 250,
        });

        // The switch: the standalone worker stops (its task commits), the same connector is declared in the cluster.
        await standalone.stop();
        const byStandalone = written();
        const committed = await broker.describeConsumerGroup("connect-local-file-sink");
        assert.equal(committed.partitions.length, PARTITIONS);
        await new ProviderDriver(() => cluster().restUrl(0)).create("local-file-sink", seedSinkConfig(TOPIC, sinkFile));
        await waitFor(
            "200 more records written by the distributed sink",
            () => (written() >= byStandalone + 200 ? true : undefined),
            { timeoutMs: 120_000, intervalMs: 250 },
        );

        const acked = await producer.stop();
        await waitForLagZero(broker, "connect-local-file-sink", PARTITIONS);
        const counts = countRecords([sinkFile], "sink");
        assert.deepEqual(deliveryReport(recordValues("sink", 0, acked), counts), EXACTLY_ONCE);
        assert.ok(byStandalone > 0 && counts.size > byStandalone, `${byStandalone} of ${counts.size} by standalone`);
    });

    test("source: offsets carried over from the standalone offsets file; no line read twice, none skipped", async () => {
        const { broker } = cluster();
        const topic = "lines";
        await broker.createTopic({ name: topic, partitions: 1 });
        const input = new GrowingFile(file("input.txt"), "line").start();
        const config = fileSourceConfig(input.path, topic);
        const standalone = await cluster().startStandaloneWorker({
            name: "standalone-source",
            connectors: [{ name: "local-file-source", ...config }],
        });
        const inTopic = async () => (await broker.consume(topic, 10_000)).length;
        await waitFor(
            "300 lines copied by the standalone source",
            async () => ((await inTopic()) >= 300 ? true : undefined),
            {
                timeoutMs: 120_000,
                intervalMs: 1_000,
            },
        );

        await standalone.stop();
        const copiedByStandalone = await inTopic();
        const offsetsFile = fs.readFileSync(standalone.offsetsFile);
        const offsets = standaloneConnectorOffsets(offsetsFile, "local-file-source");
        assert.deepEqual([...readStandaloneOffsets(offsetsFile).keys()], ["local-file-source"]);
        assert.equal(offsets.length, 1);
        assert.deepEqual(offsets[0].partition, { filename: input.path });
        // FileStreamSource's position is the byte after the last line it sent: whole fixed-width lines.
        const position = offsets[0].offset.position;
        assert.equal(position, copiedByStandalone * "line-0000000\n".length);

        const migrated = await migrateSource(cluster().restUrl(0), "local-file-source", config, offsets);
        assert.equal(migrated.state, "running");
        await waitFor(
            "the distributed source to copy 200 more lines",
            async () => ((await inTopic()) >= copiedByStandalone + 200 ? true : undefined),
            { timeoutMs: 120_000, intervalMs: 1_000 },
        );
        const lines = input.stop();
        const values = async () => countValues((await broker.consume(topic, 10_000)).map((record) => record.value));
        await waitFor("every line in the topic", async () => ((await values()).size === lines ? true : undefined), {
            timeoutMs: 120_000,
            intervalMs: 1_000,
        });
        // A line read twice would have been sent right after the switch: give a late copy a moment to show up.
        await sleep(2_000);
        const status = await restClient(cluster().restUrl(0)).getConnectorStatus("local-file-source");
        assert.deepEqual(
            status?.tasks.map((task) => task.state),
            ["RUNNING"],
        );
        assert.deepEqual(deliveryReport(recordValues("line", 0, lines), await values()), EXACTLY_ONCE);
    });
});

function countValues(values: readonly (string | null)[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const value of values) {
        if (value !== null) {
            counts.set(value, (counts.get(value) ?? 0) + 1);
        }
    }
    return counts;
}
