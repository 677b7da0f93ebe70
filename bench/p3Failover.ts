/**
 * P3: failover after a worker is SIGKILLed, with the component's defaults, its previous ones and Kafka's, under a
 * steady stream: the time until every task is RUNNING again on the survivor, until every partition is consumed
 * again (read from the sink's output, not from commits), and how many records the sink wrote twice (everything
 * since the killed tasks' last offset commit, `offset.flush.interval.ms`). The group notices the dead worker after
 * its session timeout (10 s), then waits `scheduled.rebalance.max.delay.ms` for it to come back (ours 15 s, Kafka's
 * 300 s); records flow again once the dead worker's sink consumers have left their group and the survivors' take
 * over its partitions (`consumer.session.timeout.ms`: ours 10 s, Kafka's 45 s).
 */
import { performance } from "node:perf_hooks";
import { DEFAULTS } from "../components/config/defaults";
import { sleep, startCluster, waitFor } from "../test/integration/harness";
import {
    countRecords,
    deliveryReport,
    FILE_SINK,
    ProviderDriver,
    recordValues,
    restClient,
    waitForLagZero,
    waitForSinkSpread,
    waitForTasksOn,
} from "../test/integration/support";
import { Row, seconds, table } from "./stats";

const KAFKA_DEFAULTS = {
    delayMs: 300_000,
    consumerSessionTimeoutMs: "45000",
    consumerHeartbeatMs: "3000",
    flushMs: "60000",
};
/** The component's defaults before offset.flush.interval.ms was set (Kafka's 60 s). */
const PREVIOUS = { delayMs: 30_000, flushMs: "60000" };
const TASKS = 4;
const RATE = 100;

interface Failover {
    readonly runningMs: number;
    readonly flowingMs: number;
    readonly duplicated: number;
    readonly produced: number;
}

export async function benchFailover(): Promise<string> {
    const flush = DEFAULTS.failoverWorkerSettings["offset.flush.interval.ms"];
    const ours = await failover("ours", DEFAULTS.scheduledRebalanceMaxDelayMs, { "offset.flush.interval.ms": flush });
    const previous = await failover("previous", PREVIOUS.delayMs, { "offset.flush.interval.ms": PREVIOUS.flushMs });
    const kafka = await failover("kafka", KAFKA_DEFAULTS.delayMs, {
        "consumer.session.timeout.ms": KAFKA_DEFAULTS.consumerSessionTimeoutMs,
        "consumer.heartbeat.interval.ms": KAFKA_DEFAULTS.consumerHeartbeatMs,
        "offset.flush.interval.ms": KAFKA_DEFAULTS.flushMs,
    });
    const note =
        `delay ${DEFAULTS.scheduledRebalanceMaxDelayMs / 1000} s / consumer session ` +
        `${Number(DEFAULTS.failoverClientSettings["consumer.session.timeout.ms"]) / 1000} s / flush ` +
        `${Number(flush) / 1000} s; previous ${PREVIOUS.delayMs / 1000} s / 10 s / 60 s; Kafka's ` +
        `${KAFKA_DEFAULTS.delayMs / 1000} s / ${Number(KAFKA_DEFAULTS.consumerSessionTimeoutMs) / 1000} s / 60 s`;
    const both = (pick: (run: Failover) => string) => `${pick(kafka)} (previous defaults: ${pick(previous)})`;
    const twice = (run: Failover) => `${run.duplicated} of ${run.produced}`;
    const rows: Row[] = [
        {
            measure: `SIGKILL of a worker → all ${TASKS} tasks RUNNING on the survivor`,
            ours: seconds(ours.runningMs),
            baseline: both((run) => seconds(run.runningMs)),
            note,
        },
        {
            measure:
                "SIGKILL of a worker → every record produced until 1 s after the kill written " +
                "(all partitions flowing)",
            ours: seconds(ours.flowingMs),
            baseline: both((run) => seconds(run.flowingMs)),
            note: "records flowing",
        },
        {
            measure: "records written twice (re-delivered after the kill) / produced",
            ours: twice(ours),
            baseline: both(twice),
            note: "none missing in any run",
        },
    ];
    return table("P3: failover after SIGKILL (2 workers, 1 sink connector, 100 records/s)", "Kafka's defaults", rows);
}

export async function failover(
    label: string,
    delayMs: number,
    workerOverrides: Record<string, string>,
): Promise<Failover> {
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
        const sinkFile = `${cluster.runDir}/p3-sink.txt`;
        await new ProviderDriver(() => survivor.restUrl).create("p3-sink", {
            "connector.class": FILE_SINK,
            "tasks.max": String(TASKS),
            topics: "p3-in",
            file: sinkFile,
        });
        const victimId = victim.restUrl.replace("http://", "");
        const survivorId = survivor.restUrl.replace("http://", "");
        const producer = broker.startSteadyProducer({ topic: "p3-in", prefix: "p3", ratePerSecond: RATE });
        await waitForSinkSpread(broker, client, "p3-sink", [victimId, survivorId], TASKS);
        // Long enough for every task to have written more than one flush interval's worth before the kill.
        await sleep(Number(workerOverrides["offset.flush.interval.ms"] ?? 0) + 5_000);
        await victim.kill();
        const killedAt = performance.now();
        // Values are numbered in produce order and spread over all partitions by key: once every value up to one
        // second's worth past the newest written at the kill is in the file, every partition, the killed worker's
        // included, is consumed again.
        const target = Math.max(...[...countRecords([sinkFile], "p3").keys()].map(sequence)) + RATE;
        const flowing = waitFor(
            "every record produced until a second after the kill written",
            () => {
                const written = countRecords([sinkFile], "p3");
                return recordValues("p3", 0, target + 1).every((value) => written.has(value))
                    ? performance.now() - killedAt
                    : undefined;
            },
            { timeoutMs: delayMs + 180_000, intervalMs: 250 },
        );
        await waitForTasksOn(client, "p3-sink", survivorId, TASKS, delayMs + 180_000, 250);
        const runningMs = performance.now() - killedAt;
        const flowingMs = await flowing;
        const produced = await producer.stop();
        await waitForLagZero(broker, "connect-p3-sink", TASKS);
        const report = deliveryReport(recordValues("p3", 0, produced), countRecords([sinkFile], "p3"));
        if (report.missing.length > 0 || report.unexpected.length > 0) {
            throw new Error(
                `P3 ${label}: ${report.missing.length} records missing, ${report.unexpected.length} unexpected`,
            );
        }
        return { runningMs, flowingMs, duplicated: report.duplicated.length, produced };
    } finally {
        await cluster.broker.killSteadyProducers();
        await cluster.stop();
    }
}

function sequence(value: string): number {
    return Number(value.slice(value.lastIndexOf("-") + 1));
}
