/**
 * A rolling restart of 3 real workers under a steady stream (issue #13, item 2), as the Deployment rolls them on a
 * config change (maxSurge 1, maxUnavailable 0): per step a new worker joins, then an old one stops gracefully. The
 * moves and pauses are reported (bench P8 records them beside the previous defaults); a clean restart loses and
 * doubles nothing.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useCluster } from "./harness";
import { rollingRestartScenario } from "./rollingRestart";

describe("rolling restart of 3 workers", () => {
    const cluster = useCluster({ workers: 3, groupId: "rolling", label: "rolling" });

    test("every worker replaced under a steady stream: nothing lost, nothing written twice", async (t) => {
        const result = await rollingRestartScenario(cluster(), {
            connectors: 2,
            tasks: 3,
            ratePerSecond: 100,
            workerOverrides: { "task.shutdown.graceful.timeout.ms": "10000" },
            onStep: (step) =>
                t.diagnostic(
                    `step: the stopped worker ran ${step.ownTasks} tasks; ${step.moves} task moves; longest pause ` +
                        `${(step.longestPauseMs / 1000).toFixed(1)} s`,
                ),
        });
        t.diagnostic(`${result.produced} records produced, each read by 2 connectors`);
        assert.equal(result.steps.length, 3, "3 steps: every worker replaced");
        assert.ok(result.produced > 1_000, `a steady stream ran throughout (${result.produced} records)`);
        assert.deepEqual({ missing: result.missing, duplicated: result.duplicated }, { missing: 0, duplicated: 0 });
    });
});
