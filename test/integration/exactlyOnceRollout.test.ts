/**
 * Enabling exactly-once source support on a running cluster the way the README (and the component's guard) asks:
 * a FileStreamSource runs on 2 real workers at Kafka's default; the workers are rolled one by one to "preparing",
 * then one by one to "enabled", each from properties our renderer produced; then the worker running the task is
 * SIGKILLed and restarted. Every line arrives (nothing lost across the two rolls), and no line written after the
 * second roll arrives twice, though the SIGKILL came after it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, test } from "node:test";
import { parseProperties } from "../../components/render/properties";
import { useCluster, waitFor } from "./harness";
import { bounceTaskWorker, committedCounts, NumberedLineWriter, rollWorkers, taskWorker } from "./exactlyOnceSupport";
import { deliveryReport, FILE_SOURCE, ProviderDriver, recordValues } from "./support";

describe("exactly-once source support enabled on a running cluster in two rolling steps", () => {
    const cluster = useCluster({ workers: 2, groupId: "eos-rollout", label: "eos-rollout" });

    test("disabled → preparing → enabled loses nothing, and a SIGKILL afterwards duplicates nothing", async (t) => {
        const c = cluster();
        const topic = "rolled";
        await c.broker.createTopic({ name: topic, partitions: 1 });
        const writer = new NumberedLineWriter(`${c.runDir}/rolled.txt`, "line");
        let written: string[] = [];
        let enabledFrom = 0;
        try {
            const group = await c.waitForStableGroup();
            await new ProviderDriver(() => group.leader.restUrl, 180_000).create("rolled-source", {
                "connector.class": FILE_SOURCE,
                "tasks.max": "1",
                file: writer.file,
                topic,
            });
            await taskWorker(c, "rolled-source");
            await rollWorkers(c, "preparing", "rolled-source");
            t.diagnostic("every worker rolled to preparing");
            await rollWorkers(c, "enabled", "rolled-source");
            for (const worker of c.runningWorkers) {
                const properties = parseProperties(fs.readFileSync(worker.propertiesFile, "utf8"));
                assert.equal(properties["exactly.once.source.support"], "enabled", worker.name);
            }
            enabledFrom = writer.stop().length;
            t.diagnostic(`every worker rolled to enabled after line ${enabledFrom}`);
            // The writer resumes from where it stopped: lines from here on are written while every worker is enabled.
            writer.resume();
            t.diagnostic(await bounceTaskWorker(c, "rolled-source", 4_000));
        } finally {
            written = writer.stop();
        }
        const counts = await waitFor(
            `all ${written.length} lines visible to a read_committed consumer`,
            async () => {
                const seen = await committedCounts(c, topic);
                return written.every((value) => seen.has(value)) ? seen : undefined;
            },
            { timeoutMs: 240_000, intervalMs: 2_000, hint: () => `logs in ${c.runDir}` },
        );
        const before = deliveryReport(recordValues("line", 0, enabledFrom), counts);
        const after = deliveryReport(recordValues("line", enabledFrom, written.length - enabledFrom), counts);
        t.diagnostic(
            `${written.length} lines: ${before.duplicated.length} duplicated before the roll to enabled (graceful ` +
                `restarts), ${after.duplicated.length} of the ${written.length - enabledFrom} written after it (one ` +
                `SIGKILL); ${before.missing.length + after.missing.length} missing`,
        );
        assert.deepEqual([...before.missing, ...after.missing], []);
        assert.ok(written.length > enabledFrom, "lines were written after the roll to enabled");
        assert.deepEqual(after.duplicated, [], "no line written after the roll to enabled arrives twice");
    });
});
