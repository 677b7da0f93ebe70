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
import { describe, test } from "node:test";
import { readStandaloneOffsets } from "../../components/migration/standaloneOffsets";
import { useCluster } from "./harness";
import { migrateFileSource, migrateSeedSink } from "./migrationSupport";
import { deliveryReport, recordValues, restClient } from "./support";

const EXACTLY_ONCE = { missing: [], duplicated: [], unexpected: [] };

describe("migration from standalone to distributed (the seed's journey)", () => {
    const cluster = useCluster({ workers: 2, groupId: "local-file-sink", label: "migration" });

    test("sink: the same name in the cluster goes on from the standalone commits; every record once", async () => {
        // The seed's connector and topic.
        const sink = await migrateSeedSink(cluster(), {
            name: "local-file-sink",
            topic: "szcode2.qa.avro.server",
            prefix: "sink",
            partitions: 2,
        });
        assert.deepEqual(deliveryReport(recordValues("sink", 0, sink.acked), sink.counts), EXACTLY_ONCE);
        assert.ok(
            sink.byStandalone > 0 && sink.counts.size > sink.byStandalone,
            `${sink.byStandalone} of ${sink.counts.size} by standalone`,
        );
    });

    test("source: offsets carried over from the standalone file; no line read twice, none skipped", async () => {
        const source = await migrateFileSource(cluster(), {
            name: "local-file-source",
            topic: "lines",
            prefix: "line",
            carryOffsets: true,
        });
        assert.deepEqual([...readStandaloneOffsets(source.offsetsFile).keys()], ["local-file-source"]);
        assert.equal(source.offsets.length, 1);
        assert.deepEqual(source.offsets[0].partition, { filename: source.input });
        // FileStreamSource's position is the byte after the last line it sent: whole fixed-width lines.
        assert.equal(source.offsets[0].offset.position, source.copiedByStandalone * "line-0000000\n".length);
        assert.equal(source.migrated.connectorState, "RUNNING");
        assert.deepEqual(deliveryReport(recordValues("line", 0, source.lines), source.counts), EXACTLY_ONCE);
        assert.ok(source.lines > source.copiedByStandalone + 200, `${source.copiedByStandalone} of ${source.lines}`);
        const status = await restClient(cluster().restUrl(0)).getConnectorStatus("local-file-source");
        assert.deepEqual(
            status?.tasks.map((task) => task.state),
            ["RUNNING"],
        );
    });
});
