/**
 * P3: failover after a worker is SIGKILLed: the time until every task is RUNNING again on the
 * survivor, with our default `scheduled.rebalance.max.delay.ms` (30 s) and Kafka's (300 s). The group
 * notices the dead worker after its session timeout (10 s), then waits that delay for it to come back.
 */
import { performance } from "node:perf_hooks";
import { DEFAULTS } from "../components/config";
import { startCluster, waitFor } from "../test/integration/harness";
import { FILE_SINK, ProviderDriver, restClient } from "../test/integration/support";
import { Row, seconds, table } from "./stats";

const KAFKA_DEFAULT_DELAY_MS = 300_000;
const TASKS = 4;

export async function benchFailover(): Promise<string> {
    const ours = await failoverMs(DEFAULTS.scheduledRebalanceMaxDelayMs);
    const kafka = await failoverMs(KAFKA_DEFAULT_DELAY_MS);
    const rows: Row[] = [
        {
            measure: `SIGKILL of a worker → all ${TASKS} tasks RUNNING on the survivor`,
            ours: seconds(ours),
            baseline: seconds(kafka),
            note: `delay ${DEFAULTS.scheduledRebalanceMaxDelayMs / 1000} s vs ${KAFKA_DEFAULT_DELAY_MS / 1000} s`,
        },
    ];
    return table("P3: failover after SIGKILL (2 workers, 1 sink connector)", "Kafka's default delay", rows);
}

async function failoverMs(delayMs: number): Promise<number> {
    const cluster = await startCluster({ workers: 2, groupId: `bench-p3-${delayMs}`, label: `bench-p3-${delayMs}`, scheduledRebalanceMaxDelayMs: delayMs });
    try {
        await cluster.broker.createTopic({ name: "p3-in", partitions: TASKS });
        const group = await cluster.waitForStableGroup();
        const survivor = group.leader;
        const victim = group.members.find((worker) => worker !== survivor)!;
        const client = restClient(survivor.restUrl);
        await new ProviderDriver(() => survivor.restUrl).create("p3-sink", { "connector.class": FILE_SINK, "tasks.max": String(TASKS), topics: "p3-in", file: "/dev/null" });
        const victimId = victim.restUrl.replace("http://", "");
        const survivorId = survivor.restUrl.replace("http://", "");
        await waitFor(
            "tasks on both workers",
            async () => {
                const status = await client.getConnectorStatus("p3-sink");
                return status?.tasks.some((task) => task.worker_id === victimId && task.state === "RUNNING") ? true : undefined;
            },
            { timeoutMs: 120_000 },
        );
        const killedAt = performance.now();
        await victim.kill();
        await waitFor(
            "every task RUNNING on the survivor",
            async () => {
                const status = await client.getConnectorStatus("p3-sink");
                const moved = status?.tasks.length === TASKS && status.tasks.every((task) => task.state === "RUNNING" && task.worker_id === survivorId);
                return moved ? true : undefined;
            },
            { timeoutMs: delayMs + 180_000, intervalMs: 250 },
        );
        return performance.now() - killedAt;
    } finally {
        await cluster.stop();
    }
}
