/**
 * P9: what committing offsets every 5 s (the component's `offset.flush.interval.ms`) costs beside Kafka's 60 s.
 * 2 workers, one FileStreamSink with 4 tasks under a steady stream; after a warm-up, the workers' JVM CPU time
 * (utime + stime from /proc/<pid>/stat) over a fixed window, and the offset commits the sink's consumer group
 * made in it (the committed offsets' changes, sampled every second). Runs alternate, so load from other processes
 * on the machine falls on both settings alike.
 */
import * as fs from "node:fs";
import { DEFAULTS } from "../components/config/defaults";
import { LocalCluster, sleep, startCluster } from "../test/integration/harness";
import {
    committedOffsets,
    FILE_SINK,
    ProviderDriver,
    waitForSinkSpread,
    restClient,
} from "../test/integration/support";
import { median, Row, table } from "./stats";

const TASKS = 4;
const RATE = 500;
const WINDOW_MS = 60_000;
const KAFKA_FLUSH = "60000";

interface Cost {
    readonly cpuMs: number;
    readonly commits: number;
}

export async function benchCommitCost(runs: number): Promise<string> {
    const ours: Cost[] = [];
    const kafka: Cost[] = [];
    const flush = DEFAULTS.failoverWorkerSettings["offset.flush.interval.ms"];
    for (let i = 0; i < runs; i++) {
        ours.push(await commitCost(`ours-${i}`, flush));
        kafka.push(await commitCost(`kafka-${i}`, KAFKA_FLUSH));
    }
    const cpu = (costs: Cost[]) => {
        const runs = costs.map((c) => (c.cpuMs / 1000).toFixed(1)).join(", ");
        return `${(median(costs.map((c) => c.cpuMs)) / 1000).toFixed(1)} s (${runs})`;
    };
    const commits = (costs: Cost[]) => `${median(costs.map((c) => c.commits))}`;
    const rows: Row[] = [
        {
            measure: `CPU time of both worker JVMs over ${WINDOW_MS / 1000} s, median (runs)`,
            ours: cpu(ours),
            baseline: cpu(kafka),
            note: `${RATE} records/s into 1 sink with ${TASKS} tasks`,
        },
        {
            measure:
                `offset commits seen in ${WINDOW_MS / 1000} s ` +
                "(partition offsets changed, sampled every 1 s), median",
            ours: commits(ours),
            baseline: commits(kafka),
            note: `${TASKS} partitions`,
        },
    ];
    return table(
        `P9: the cost of committing every ${Number(flush) / 1000} s (offset.flush.interval.ms)`,
        `Kafka's ${Number(KAFKA_FLUSH) / 1000} s`,
        rows,
    );
}

async function commitCost(label: string, flushMs: string): Promise<Cost> {
    const cluster = await startCluster({
        workers: 2,
        groupId: `bench-p7-${label}`,
        label: `bench-p7-${label}`,
        workerOverrides: { "offset.flush.interval.ms": flushMs },
    });
    try {
        const { broker } = cluster;
        await broker.createTopic({ name: "p7-in", partitions: TASKS });
        const [first, second] = cluster.runningWorkers;
        await new ProviderDriver(() => first.restUrl).create("p7-sink", {
            "connector.class": FILE_SINK,
            "tasks.max": String(TASKS),
            topics: "p7-in",
            file: "/dev/null",
        });
        broker.startSteadyProducer({ topic: "p7-in", prefix: "p7", ratePerSecond: RATE });
        const ids = [first, second].map((worker) => worker.restUrl.replace("http://", ""));
        await waitForSinkSpread(broker, restClient(first.restUrl), "p7-sink", ids, TASKS);
        await sleep(10_000);
        const before = cpuMs(cluster);
        let last = committedOffsets(await broker.describeConsumerGroup("connect-p7-sink"));
        let commits = 0;
        const end = Date.now() + WINDOW_MS;
        while (Date.now() < end) {
            await sleep(1_000);
            const now = committedOffsets(await broker.describeConsumerGroup("connect-p7-sink"));
            commits += [...now].filter(([partition, offset]) => last.get(partition) !== offset).length;
            last = now;
        }
        return { cpuMs: cpuMs(cluster) - before, commits };
    } finally {
        await cluster.broker.killSteadyProducers();
        await cluster.stop();
    }
}

/** The running workers' CPU time (user + system), in ms. */
function cpuMs(cluster: LocalCluster): number {
    const ticksPerSecond = 100;
    return cluster.runningWorkers
        .map((worker) => {
            const fields = fs.readFileSync(`/proc/${worker.process.pid}/stat`, "utf8").split(") ")[1].split(" ");
            // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
            return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
        })
        .reduce((a, b) => a + b, 0);
}
