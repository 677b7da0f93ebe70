/**
 * Exactly-once source support (KIP-618) on 2 real workers started from our rendered properties: a FileStreamSource
 * reads a file of numbered lines that grows while the worker running its task is bounced hard (SIGKILL, then started
 * again) several times; a `read_committed` consumer counts what reached the topic. With `exactlyOnceSourceSupport:
 * "enabled"` and the connector's `exactly.once.support: "required"`, every line arrives exactly once. The same run on
 * a cluster without it (Kafka's default) shows the duplicates a crash leaves: records sent after the last offset
 * flush are sent again.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseProperties } from "../../components/render/properties";
import * as fs from "node:fs";
import { LocalCluster, useCluster, waitFor } from "./harness";
import { bounceTaskWorker, committedCounts, NumberedLineWriter } from "./exactlyOnceSupport";
import { deliveryReport, FILE_SOURCE, ProviderDriver } from "./support";

const BOUNCES = 3;
/** How long the task runs between bounces, so each bounce interrupts a steady flow. */
const RUN_BETWEEN_MS = 4_000;

interface BounceReport {
    readonly written: number;
    readonly duplicated: number;
    readonly missing: number;
    readonly unexpected: number;
}

async function bounceScenario(
    cluster: LocalCluster,
    t: { diagnostic(message: string): void },
    connectorExtra: Record<string, string>,
): Promise<BounceReport> {
    const topic = "numbered";
    await cluster.broker.createTopic({ name: topic, partitions: 1 });
    const group = await cluster.waitForStableGroup();
    const writer = new NumberedLineWriter(`${cluster.runDir}/numbered.txt`, "line");
    let written: string[] = [];
    try {
        await new ProviderDriver(() => group.leader.restUrl, 180_000).create("numbered-source", {
            "connector.class": FILE_SOURCE,
            "tasks.max": "1",
            file: writer.file,
            topic,
            ...connectorExtra,
        });
        await waitFor(
            "the first lines in the topic",
            async () => ((await committedCounts(cluster, topic)).size > 0 ? true : undefined),
            {
                timeoutMs: 120_000,
                intervalMs: 1_000,
            },
        );
        for (let bounce = 1; bounce <= BOUNCES; bounce++) {
            t.diagnostic(`bounce ${bounce}: ${await bounceTaskWorker(cluster, "numbered-source", RUN_BETWEEN_MS)}`);
        }
    } finally {
        written = writer.stop();
    }
    // The task catches up with the file; the wait ends when every line is there (a gap would time out here).
    const counts = await waitFor(
        `all ${written.length} lines visible to a read_committed consumer`,
        async () => {
            const seen = await committedCounts(cluster, topic);
            return written.every((value) => seen.has(value)) ? seen : undefined;
        },
        { timeoutMs: 240_000, intervalMs: 2_000, hint: () => `logs in ${cluster.runDir}` },
    );
    const report = deliveryReport(written, counts);
    const duplicated = duplicates(counts);
    // What a read_uncommitted consumer would also see: records of the transactions the SIGKILLs aborted.
    const uncommitted = duplicates(await committedCounts(cluster, topic, "read_uncommitted"));
    t.diagnostic(
        `${written.length} lines written, ${BOUNCES} SIGKILL bounces: read_committed sees ${duplicated} duplicate ` +
            `records (${report.duplicated.length} lines more than once), ${report.missing.length} missing; ` +
            `read_uncommitted sees ${uncommitted} duplicate records`,
    );
    return {
        written: written.length,
        duplicated,
        missing: report.missing.length,
        unexpected: report.unexpected.length,
    };
}

function duplicates(counts: ReadonlyMap<string, number>): number {
    return [...counts.values()].reduce((sum, n) => sum + n, 0) - counts.size;
}

describe("exactly-once source support enabled, workers bounced with SIGKILL", () => {
    const cluster = useCluster({
        workers: 2,
        groupId: "eos-enabled",
        label: "eos-enabled",
        exactlyOnceSourceSupport: "enabled",
    });

    test("every numbered line reaches a read_committed consumer exactly once: 0 duplicates, 0 gaps", async (t) => {
        const properties = parseProperties(
            fs.readFileSync(`${cluster().runDir}/${cluster().workers[0].name}.properties`, "utf8"),
        );
        assert.equal(properties["exactly.once.source.support"], "enabled", "rendered by the component's renderer");
        const report = await bounceScenario(cluster(), t, { "exactly.once.support": "required" });
        assert.ok(report.written > 0);
        assert.deepEqual(
            { duplicated: report.duplicated, missing: report.missing, unexpected: report.unexpected },
            { duplicated: 0, missing: 0, unexpected: 0 },
        );
    });
});

describe("the same run without exactly-once source support (Kafka's default)", () => {
    const cluster = useCluster({ workers: 2, groupId: "eos-disabled", label: "eos-disabled" });

    test("every line arrives, but the bounces leave duplicates (at least once)", async (t) => {
        const properties = parseProperties(
            fs.readFileSync(`${cluster().runDir}/${cluster().workers[0].name}.properties`, "utf8"),
        );
        assert.equal(properties["exactly.once.source.support"], undefined, "not written: Kafka's default");
        const report = await bounceScenario(cluster(), t, {});
        assert.deepEqual({ missing: report.missing, unexpected: report.unexpected }, { missing: 0, unexpected: 0 });
        // Offsets are flushed every second (the harness's offset.flush.interval.ms); a SIGKILL loses what was sent
        // since, and the restarted task sends it again.
        assert.ok(report.duplicated > 0, `expected duplicates after ${BOUNCES} SIGKILLs without exactly-once`);
    });
});
