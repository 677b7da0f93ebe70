/**
 * P3: failover after a worker is SIGKILLed, with the component's defaults and with Kafka's, under a steady
 * stream: the time until every task is RUNNING again on the survivor, and until every partition's committed
 * offset moves again (records really flowing). The group notices the dead worker after its session timeout
 * (10 s), then waits `scheduled.rebalance.max.delay.ms` for it to come back (ours 30 s, Kafka's 300 s); the
 * moved tasks consume once the dead worker's sink consumers have left their group
 * (`consumer.session.timeout.ms`: ours 10 s, Kafka's 45 s).
 */
import { performance } from "node:perf_hooks";
import { DEFAULTS } from "../components/config/defaults";
import { startCluster } from "../test/integration/harness";
import {
    committedOffsets,
    FILE_SINK,
    ProviderDriver,
    restClient,
    waitForCommitsPast,
    waitForSinkSpread,
    waitForTasksOn,
} from "../test/integration/support";
import { Row, seconds, table } from "./stats";

const KAFKA_DEFAULTS = { delayMs: 300_000, consumerSessionTimeoutMs: "45000", consumerHeartbeatMs: "3000" };
const TASKS = 4;

interface Failover {
    readonly runningMs: number;
    readonly flowingMs: number;
}

export async function benchFailover(): Promise<string> {
    const ours = await failover("ours", DEFAULTS.scheduledRebalanceMaxDelayMs, {});
    const kafka = await failover("kafka", KAFKA_DEFAULTS.delayMs, {
        "consumer.session.timeout.ms": KAFKA_DEFAULTS.consumerSessionTimeoutMs,
        "consumer.heartbeat.interval.ms": KAFKA_DEFAULTS.consumerHeartbeatMs,
    });
    const note =
        `delay ${DEFAULTS.scheduledRebalanceMaxDelayMs / 1000} s / consumer session ` +
        `${Number(DEFAULTS.failoverClientSettings["consumer.session.timeout.ms"]) / 1000} s vs ` +
        `${KAFKA_DEFAULTS.delayMs / 1000} s / ${Number(KAFKA_DEFAULTS.consumerSessionTimeoutMs) / 1000} s`;
    const rows: Row[] = [
        {
            measure: `SIGKILL of a worker → all ${TASKS} tasks RUNNING on the survivor`,
            ours: seconds(ours.runningMs),
            baseline: seconds(kafka.runningMs),
            note,
        },
        {
            measure: "SIGKILL of a worker → every partition's committed offset moving again",
            ours: seconds(ours.flowingMs),
            baseline: seconds(kafka.flowingMs),
            note: "records flowing",
        },
    ];
    return table("P3: failover after SIGKILL (2 workers, 1 sink connector, 100 records/s)", "Kafka's defaults", rows);
}

async function failover(label: string, delayMs: number, workerOverrides: Record<string, string>): Promise<Failover> {
    const cluster = await startCluster({
        workers: 2,
        groupId: `bench-p3-${label}`,
        label: `bench-p3-${label}`,
        scheduledRebalanceMaxDelayMs: delayMs,
        workerOverrides,
    });
    try {
        const { broker } = cluster;
        await broker.createTopic({ name: "p3-in", partitions: TASKS });
        const group = await cluster.waitForStableGroup();
        const survivor = group.leader;
        const victim = group.members.find((worker) => worker !== survivor)!;
        const client = restClient(survivor.restUrl);
        await new ProviderDriver(() => survivor.restUrl).create("p3-sink", {
            "connector.class": FILE_SINK,
            "tasks.max": String(TASKS),
            topics: "p3-in",
            file: "/dev/null",
        });
        const victimId = victim.restUrl.replace("http://", "");
        const survivorId = survivor.restUrl.replace("http://", "");
        broker.startSteadyProducer({ topic: "p3-in", prefix: "p3", ratePerSecond: 100 });
        await waitForSinkSpread(broker, client, "p3-sink", [victimId, survivorId], TASKS);
        await victim.kill();
        const killedAt = performance.now();
        const atKill = committedOffsets(await broker.describeConsumerGroup("connect-p3-sink"));
        await waitForTasksOn(client, "p3-sink", survivorId, TASKS, delayMs + 180_000, 250);
        const runningMs = performance.now() - killedAt;
        await waitForCommitsPast(broker, "connect-p3-sink", atKill, 180_000, 500);
        return { runningMs, flowingMs: performance.now() - killedAt };
    } finally {
        await cluster.broker.killSteadyProducers();
        await cluster.stop();
    }
}
