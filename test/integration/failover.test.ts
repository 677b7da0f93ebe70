/**
 * Failures, on real workers: every worker stopped and started again (a full restart), then a worker killed with
 * SIGKILL (a crashed pod). The cluster's state lives in its three topics, so work moves or resumes without
 * losing records. One cluster for both, to keep CI short (as oldestKafka.test.ts runs them): the first
 * scenario's connector is deleted before the second starts.
 */
import { describe, test } from "node:test";
import { useCluster } from "./harness";
import { deleteConnectors, fullRestartScenario, sigkillScenario } from "./scenarios";

describe("failures on 2 workers", () => {
    // The harness's scheduled.rebalance.max.delay.ms is 10 s (the component's default is 15 s, Kafka's
    // 5 min) to keep CI short; bench/p3Failover.ts measures failover with the component's and Kafka's.
    const cluster = useCluster({ workers: 2, groupId: "failover", label: "failover" });

    test(
        "every worker stopped, then started again: connectors, config and offsets come back from the topics; " +
            "consumption continues where it stopped",
        async (t) => {
            await fullRestartScenario(cluster(), t);
        },
    );

    test("a worker killed with SIGKILL: its tasks move to the survivor and no record is lost", async (t) => {
        await deleteConnectors(cluster());
        await sigkillScenario(cluster(), t);
    });
});
