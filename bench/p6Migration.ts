/**
 * P6: the seed's migration from standalone to distributed, counted record by record. A FileStreamSource
 * copying a growing file on a standalone worker is stopped and declared in a 2-worker cluster: ours carries the
 * standalone offsets over (read from the offsets file, written while the connector is created stopped); the
 * baseline declares it as the seed did, without them, so it reads the file again from the start. The seed's
 * FileStreamSink under a steady stream moves too (ours only: keeping its name is all it takes).
 */
import { startCluster } from "../test/integration/harness";
import { migrateFileSource, migrateSeedSink } from "../test/integration/migrationSupport";
import { deliveryReport, recordValues } from "../test/integration/support";
import { ms, Row, table } from "./stats";

export async function benchMigration(): Promise<string> {
    const cluster = await startCluster({ workers: 2, groupId: "bench-p6", label: "bench-p6" });
    try {
        const ours = await migrateFileSource(cluster, {
            name: "p6-ours",
            topic: "p6-ours",
            prefix: "ours",
            carryOffsets: true,
        });
        const baseline = await migrateFileSource(cluster, {
            name: "p6-baseline",
            topic: "p6-baseline",
            prefix: "base",
            carryOffsets: false,
        });
        const sink = await migrateSeedSink(cluster, {
            name: "p6-sink",
            topic: "p6-sink",
            prefix: "sink",
            partitions: 2,
        });
        const oursReport = deliveryReport(recordValues("ours", 0, ours.lines), ours.counts);
        const baseReport = deliveryReport(recordValues("base", 0, baseline.lines), baseline.counts);
        const sinkReport = deliveryReport(recordValues("sink", 0, sink.acked), sink.counts);
        const rows: Row[] = [
            {
                measure: "source: lines lost / duplicated",
                ours: `${oursReport.missing.length} / ${oursReport.duplicated.length} of ${ours.lines}`,
                baseline: `${baseReport.missing.length} / ${baseReport.duplicated.length} of ${baseline.lines}`,
                note:
                    `standalone had copied ${ours.copiedByStandalone} (ours), ${baseline.copiedByStandalone} ` +
                    "(baseline) before the switch",
            },
            {
                measure: "source: switch (standalone stop → RUNNING in the cluster)",
                ours: ms(ours.switchMs),
                baseline: ms(baseline.switchMs),
                note: "ours reads the offsets file, creates stopped, PATCHes offsets, resumes",
            },
            {
                measure: "sink (same name): records lost / duplicated",
                ours: `${sinkReport.missing.length} / ${sinkReport.duplicated.length} of ${sink.acked}`,
                baseline: "—",
                note: `steady producer at 50/s; standalone wrote ${sink.byStandalone} before the switch`,
            },
            {
                measure: "sink: switch (standalone stop → RUNNING in the cluster)",
                ours: ms(sink.switchMs),
                baseline: "—",
            },
        ];
        return table(
            "P6: migration from standalone (FileStreamSource under a growing file, the seed's sink under a stream)",
            "re-declared without the offsets",
            rows,
        );
    } finally {
        await cluster.stop();
    }
}
