/**
 * A rolling restart as a Deployment does it, on a running LocalCluster, in one of its two orders:
 * - `surge-first` (maxSurge 1, maxUnavailable 0): per step a new worker (the new pod, a new address) starts and
 *   joins; once the tasks rebalanced onto it run (the pod's readiness probe passes seconds after it joined), one old
 *   worker stops gracefully (SIGTERM, the old pod);
 * - `leave-first` (maxSurge 0, maxUnavailable 1): per step one old worker stops and, at the same time, a new one
 *   starts (the ReplicaSet creates the replacement as soon as the old pod is terminating); the next step begins
 *   no sooner than `minReadyMs` after the new worker answers (the Deployment's minReadySeconds).
 * Old workers go newest first, as a ReplicaSet scales down (the first worker, usually the group leader, last).
 * Under a steady stream read by several FileStreamSink connectors (one topic, each its own consumer group),
 * it counts task moves (a task's `worker_id` in `/status` changing, polled every 250 ms), the longest pause in any
 * connector's output (an output watermark not advancing) and, after the stream stops, records missing or written
 * twice. Used by test/integration/rollingRestart.test.ts and bench/p8RollingRestart.ts (P8).
 */
import * as fs from "node:fs";
import { ConnectWorker, LocalCluster, sleep, waitFor } from "./harness";
import {
    countRecords,
    deliveryReport,
    FILE_SINK,
    ProviderDriver,
    recordValues,
    restClient,
    waitForLagZero,
} from "./support";

export interface RollingOptions {
    readonly connectors: number;
    readonly tasks: number;
    readonly ratePerSecond: number;
    /** Worker overrides of the new workers (the changed pod spec). */
    readonly workerOverrides?: Readonly<Record<string, string>>;
    /** Default `surge-first` (see above). */
    readonly order?: RollingOrder;
    /** `leave-first`: the next step waits at least this long after the new worker answers. Default 0. */
    readonly minReadyMs?: number;
    /** Called after each step. */
    readonly onStep?: (step: RollingStep) => void;
}

export type RollingOrder = "surge-first" | "leave-first";

export interface RollingStep {
    /** Tasks the stopped worker ran when the step began. */
    readonly ownTasks: number;
    /** Whether the stopped worker led the group (assigned the tasks) when the step began. */
    readonly leader: boolean;
    /** From the step's start until every task ran again on as many workers as before. */
    readonly settledMs: number;
    readonly moves: number;
    readonly longestPauseMs: number;
}

export interface RollingResult {
    readonly steps: readonly RollingStep[];
    readonly missing: number;
    readonly duplicated: number;
    /** Records produced (each connector should write every one once). */
    readonly produced: number;
}

/** Rolls every worker running now; creates connectors "roll-sink-<i>" on topic "roll-in" first. */
export async function rollingRestartScenario(cluster: LocalCluster, options: RollingOptions): Promise<RollingResult> {
    const tasks = options.tasks;
    const { broker } = cluster;
    await broker.createTopic({ name: "roll-in", partitions: tasks });
    const old = [...cluster.runningWorkers];
    const names = Array.from({ length: options.connectors }, (_, i) => `roll-sink-${i}`);
    const file = (name: string) => `${cluster.runDir}/${name}.txt`;
    for (const name of names) {
        await new ProviderDriver(() => old[0].restUrl).create(name, {
            "connector.class": FILE_SINK,
            "tasks.max": String(tasks),
            topics: "roll-in",
            file: file(name),
        });
    }
    const producer = broker.startSteadyProducer({
        topic: "roll-in",
        prefix: "roll",
        ratePerSecond: options.ratePerSecond,
    });
    try {
        await waitForAllRunning(cluster, names, tasks, old.length);
        const outputs = names.map((name) => new Output(file(name)));
        const steps: RollingStep[] = [];
        for (const leaving of [...old].reverse()) {
            // Caught up before the step: the watermark advances steadily.
            for (let i = 0; i < 20; i++) {
                await sleep(250);
                outputs.forEach((output) => output.sample(Date.now()));
            }
            const watch = new Watch(cluster, outputs, leaving);
            const placement = await watch.placement();
            const leavingId = leaving.restUrl.replace("http://", "");
            const ownTasks = [...placement.values()].filter((id) => id === leavingId).length;
            const leader = leaving.assignment()?.leaderUrl === `${leaving.restUrl}/`;
            const polling = watch.run();
            const started = Date.now();
            let settledMs = 0;
            try {
                // The new pod: a changed config, a new member with a new address; Ready once it has joined.
                const addNew = () =>
                    cluster.addWorker({ workerOverrides: options.workerOverrides, waitForGroup: false });
                if ((options.order ?? "surge-first") === "surge-first") {
                    await addNew();
                    // Ready, as its probe would find it: joined, and the tasks rebalanced onto it have started.
                    await waitForAllRunning(cluster, names, tasks, old.length + 1);
                    await leaving.stop();
                    await waitForAllRunning(cluster, names, tasks, old.length);
                    settledMs = Date.now() - started;
                } else {
                    const [, ready] = await Promise.all([leaving.stop(), addNew().then(() => Date.now())]);
                    await waitForAllRunning(cluster, names, tasks, old.length);
                    settledMs = Date.now() - started;
                    await sleep(ready + (options.minReadyMs ?? 0) - Date.now());
                }
                await sleep(3_000);
            } finally {
                // Also when the step fails: the polling loop would keep the test process alive.
                await watch.finish(polling);
            }
            const { moves, longestPauseMs } = await watch.finish(polling);
            steps.push({ ownTasks, leader, settledMs, moves, longestPauseMs });
            options.onStep?.(steps[steps.length - 1]);
        }
        const produced = await producer.stop();
        let missing = 0;
        let duplicated = 0;
        for (const name of names) {
            await waitForLagZero(broker, `connect-${name}`, tasks);
            const report = deliveryReport(recordValues("roll", 0, produced), countRecords([file(name)], "roll"));
            missing += report.missing.length + report.unexpected.length;
            duplicated += report.duplicated.length;
        }
        return { steps, missing, duplicated, produced };
    } finally {
        await broker.killSteadyProducers();
    }
}

/** Every connector's tasks RUNNING on exactly `workers` distinct running workers. */
async function waitForAllRunning(
    cluster: LocalCluster,
    names: readonly string[],
    tasks: number,
    workers: number,
): Promise<void> {
    await waitFor(
        `all ${names.length * tasks} tasks RUNNING on ${workers} workers`,
        async () => {
            const client = restClient(cluster.runningWorkers[0].restUrl);
            const all = await client.listConnectorsExpanded();
            const states = names.flatMap((name) => all[name]?.status.tasks ?? []);
            const running = new Set(cluster.runningWorkers.map((worker) => worker.restUrl.replace("http://", "")));
            const ok =
                states.length === names.length * tasks &&
                states.every((task) => task.state === "RUNNING" && running.has(task.worker_id)) &&
                new Set(states.map((task) => task.worker_id)).size === workers;
            return ok ? true : undefined;
        },
        { timeoutMs: 600_000, intervalMs: 500 },
    );
}

/**
 * A sink file's output watermark: the values are numbered in produce order and spread over all partitions by key,
 * so the highest N with every value ≤ N written stops advancing when any partition of the connector stalls.
 */
class Output {
    private offset = 0;
    private next = 0;
    private readonly early = new Set<number>();
    lastAdvance = Date.now();

    constructor(private readonly file: string) {}

    /** Reads what was appended; returns the time since the watermark last advanced. */
    sample(now: number): number {
        const size = fs.statSync(this.file).size;
        if (size > this.offset) {
            const text = fs.readFileSync(this.file).subarray(this.offset, size).toString("utf8");
            const complete = text.lastIndexOf("\n") + 1;
            this.offset += Buffer.byteLength(text.slice(0, complete));
            for (const token of text.slice(0, complete).match(/roll-\d{7}/g) ?? []) {
                this.early.add(Number(token.slice(5)));
            }
            const before = this.next;
            while (this.early.delete(this.next)) {
                this.next++;
            }
            if (this.next > before) {
                this.lastAdvance = now;
            }
        }
        return now - this.lastAdvance;
    }
}

/** Polls /status (task placement) and the sink outputs every 250 ms until finished. */
class Watch {
    private stopped = false;
    private moves = 0;
    private longestPauseMs = 0;

    constructor(
        private readonly cluster: LocalCluster,
        private readonly outputs: readonly Output[],
        /** Never asked: while it shuts down, its REST API answers 404 before it closes. */
        private readonly leaving: ConnectWorker,
    ) {}

    async placement(): Promise<Map<string, string>> {
        const running = this.cluster.runningWorkers.filter((worker) => worker !== this.leaving);
        const client = restClient(running[running.length - 1].restUrl, { deadlineMs: 10_000 });
        const all = await client.listConnectorsExpanded();
        const placement = new Map<string, string>();
        for (const [name, { status }] of Object.entries(all)) {
            for (const task of status.tasks) {
                placement.set(`${name}/${task.id}`, task.worker_id);
            }
        }
        return placement;
    }

    async run(): Promise<void> {
        const last = await this.placement();
        while (!this.stopped) {
            await sleep(250);
            this.sampleOutputs();
            const now = await this.placement().catch(() => undefined);
            for (const [task, worker] of now ?? []) {
                const before = last.get(task);
                if (before !== undefined && before !== worker) {
                    this.moves++;
                }
                last.set(task, worker);
            }
        }
    }

    async finish(polling: Promise<void>): Promise<{ moves: number; longestPauseMs: number }> {
        this.stopped = true;
        await polling;
        this.sampleOutputs();
        return { moves: this.moves, longestPauseMs: this.longestPauseMs };
    }

    private sampleOutputs(): void {
        const now = Date.now();
        for (const output of this.outputs) {
            this.longestPauseMs = Math.max(this.longestPauseMs, output.sample(now));
        }
    }
}
