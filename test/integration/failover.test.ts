/**
 * Failures, on real workers: a worker killed with SIGKILL (a crashed pod), and every worker stopped and
 * started again (a full restart). The cluster's state lives in its three topics, so work moves or
 * resumes without losing records.
 */
import { describe, test } from "node:test";
import { useCluster } from "./harness";
import { fullRestartScenario, sigkillScenario } from "./scenarios";

describe("a worker killed with SIGKILL", () => {
    // The harness's scheduled.rebalance.max.delay.ms is 10 s (the component's default is 15 s, Kafka's
    // 5 min) to keep CI short; bench/p3Failover.ts measures failover with the component's and Kafka's.
    const cluster = useCluster({ workers: 2, groupId: "failover", label: "failover" });

    test("its tasks move to the survivor and no record is lost", async (t) => {
        await sigkillScenario(cluster(), t);
    });
});

describe("every worker stopped, then started again", () => {
    const cluster = useCluster({ workers: 2, groupId: "restart", label: "restart" });

    test(
        "connectors, config and offsets come back from the topics; consumption continues where " + "it stopped",
        async (t) => {
            await fullRestartScenario(cluster(), t);
        },
    );
});
