/**
 * The exactly-once scenario's moving parts: a file of numbered lines that grows while a FileStreamSource reads it,
 * hard bounces (SIGKILL, then the same worker started again) of the worker running its task, and a count of what
 * a `read_committed` consumer sees.
 */
import * as fs from "node:fs";
import type { ExactlyOnceSourceSupport } from "../../components/render/workerProperties";
import { ConnectWorker, LocalCluster, sleep, waitFor } from "./harness";
import { recordValues, restClient } from "./support";

/** Appends numbered lines (`<prefix>-0000000`, ...) to a file, `perTick` every `tickMs`, until stopped. */
export class NumberedLineWriter {
    private written = 0;
    private timer: NodeJS.Timeout | undefined;

    constructor(
        readonly file: string,
        private readonly prefix: string,
        private readonly perTick = 20,
        private readonly tickMs = 40,
    ) {
        fs.writeFileSync(file, "");
        this.resume();
    }

    /** Appends again (after stop()), numbering on from the last line written. */
    resume(): void {
        this.timer ??= setInterval(() => {
            // Whole lines in one write: the source task emits only complete lines.
            fs.appendFileSync(this.file, recordValues(this.prefix, this.written, this.perTick).join("\n") + "\n");
            this.written += this.perTick;
        }, this.tickMs);
    }

    /** Stops appending; returns every value written so far, in order. */
    stop(): string[] {
        clearInterval(this.timer);
        this.timer = undefined;
        return recordValues(this.prefix, 0, this.written);
    }
}

/** The worker whose JVM runs the connector's task 0 right now (RUNNING there, and that worker is up). */
export async function taskWorker(cluster: LocalCluster, connector: string): Promise<ConnectWorker> {
    return waitFor(
        `task 0 of ${connector} RUNNING on a running worker`,
        async () => {
            const status = await restClient(cluster.runningWorkers[0].restUrl).getConnectorStatus(connector);
            const task = status?.tasks.find((one) => one.id === 0);
            if (task?.state === "FAILED") {
                throw new Error(`task 0 of ${connector} FAILED: ${task.trace ?? ""}`);
            }
            return task?.state === "RUNNING"
                ? cluster.runningWorkers.find((worker) => worker.restUrl === `http://${task.worker_id}`)
                : undefined;
        },
        { timeoutMs: 180_000, intervalMs: 500, hint: () => `logs in ${cluster.runDir}` },
    );
}

/**
 * A hard bounce of the worker running the task: SIGKILL (no offset flush, no transaction commit, no goodbye to the
 * group), then the same worker started again on the same port, as a crashed pod is restarted. Returns once the group
 * is stable again with the task RUNNING and has run `runMs` more.
 */
export async function bounceTaskWorker(cluster: LocalCluster, connector: string, runMs: number): Promise<string> {
    const victim = await taskWorker(cluster, connector);
    const before = await cluster.waitForStableGroup({ timeoutMs: 180_000 });
    await victim.kill();
    await sleep(1_000);
    await victim.start();
    await cluster.waitForStableGroup({ timeoutMs: 180_000, afterGeneration: before.generation });
    const runner = await taskWorker(cluster, connector);
    await sleep(runMs);
    return `${victim.name} killed and restarted; task 0 then on ${runner.name}`;
}

/** How often each value occurs among the topic's records a `read_committed` (or, if asked, any) consumer sees. */
export async function committedCounts(
    cluster: LocalCluster,
    topic: string,
    isolationLevel: "read_committed" | "read_uncommitted" = "read_committed",
): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const record of await cluster.broker.consume(topic, 60_000, isolationLevel)) {
        counts.set(record.value ?? "", (counts.get(record.value ?? "") ?? 0) + 1);
    }
    return counts;
}

/**
 * One step of a rolling change of `exactlyOnceSourceSupport`, as the Deployment does it pod by pod: each worker in
 * turn is stopped gracefully, its properties re-rendered by the component's renderer with the new mode, started
 * again, and the group is stable (with the source task RUNNING) before the next one.
 */
export async function rollWorkers(
    cluster: LocalCluster,
    mode: ExactlyOnceSourceSupport,
    connector: string,
): Promise<void> {
    for (const worker of cluster.runningWorkers) {
        const before = await cluster.waitForStableGroup({ timeoutMs: 180_000 });
        fs.writeFileSync(
            worker.propertiesFile,
            cluster.renderProperties(Number(new URL(worker.restUrl).port), {}, undefined, [], mode),
        );
        await worker.restart();
        await cluster.waitForStableGroup({ timeoutMs: 180_000, afterGeneration: before.generation });
        await taskWorker(cluster, connector);
    }
}
