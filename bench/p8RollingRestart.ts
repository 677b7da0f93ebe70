/**
 * P8: a rolling restart of 3 workers as the Deployment does it (maxSurge 1, maxUnavailable 0; the scenario is
 * test/integration/rollingRestart.ts): task moves per step, the longest pause in any connector's output, records
 * missing or written twice; with the component's defaults and with its previous ones.
 */
import { DEFAULTS } from "../components/config/defaults";
import { startCluster } from "../test/integration/harness";
import { RollingResult, RollingStep, rollingRestartScenario } from "../test/integration/rollingRestart";
import { Row, seconds, table } from "./stats";

const CONNECTORS = 3;
const TASKS = 4;
const RATE = 100;

/** The component's defaults before this benchmark (scheduled delay 30 s; offset flush at Kafka's 60 s). */
const PREVIOUS = { delayMs: 30_000, flushMs: "60000" };

export async function benchRollingRestart(): Promise<string> {
    const flush = DEFAULTS.failoverWorkerSettings["offset.flush.interval.ms"];
    const ours = await rolling("ours", DEFAULTS.scheduledRebalanceMaxDelayMs, flush);
    const before = await rolling("previous", PREVIOUS.delayMs, PREVIOUS.flushMs);
    const perStep = (run: RollingResult, pick: (step: RollingStep) => string) => run.steps.map(pick).join(", ");
    const rows: Row[] = [
        {
            measure: "tasks the stopped worker ran, per step",
            ours: perStep(ours, (s) => String(s.ownTasks)),
            baseline: perStep(before, (s) => String(s.ownTasks)),
            note: `${CONNECTORS} connectors × ${TASKS} tasks on 3 workers`,
        },
        {
            measure: "task moves per step (worker_id changes in /status)",
            ours: perStep(ours, (s) => String(s.moves)),
            baseline: perStep(before, (s) => String(s.moves)),
            note: "a step: new worker joins, then an old one stops (SIGTERM)",
        },
        {
            measure: "longest pause of any connector's output, per step",
            ours: perStep(ours, (s) => seconds(s.longestPauseMs)),
            baseline: perStep(before, (s) => seconds(s.longestPauseMs)),
            note: `output watermark polled every 250 ms, ${RATE} records/s`,
        },
        {
            measure: "records missing / written twice (all connectors)",
            ours: `${ours.missing} / ${ours.duplicated} of ${ours.produced * CONNECTORS}`,
            baseline: `${before.missing} / ${before.duplicated} of ${before.produced * CONNECTORS}`,
        },
    ];
    const title =
        `P8: rolling restart of 3 workers (delay ${DEFAULTS.scheduledRebalanceMaxDelayMs / 1000} s, flush ` +
        `${Number(flush) / 1000} s vs ${PREVIOUS.delayMs / 1000} s, ${Number(PREVIOUS.flushMs) / 1000} s)`;
    return table(title, "previous defaults", rows);
}

export async function rolling(label: string, delayMs: number, flushMs: string): Promise<RollingResult> {
    const workerOverrides = { "offset.flush.interval.ms": flushMs };
    const cluster = await startCluster({
        workers: 3,
        groupId: `bench-p6-${label}`,
        label: `bench-p6-${label}`,
        scheduledRebalanceMaxDelayMs: delayMs,
        workerOverrides,
    });
    try {
        return await rollingRestartScenario(cluster, {
            connectors: CONNECTORS,
            tasks: TASKS,
            ratePerSecond: RATE,
            workerOverrides,
            onStep: (step) => console.log(`P8 ${label} step: ${JSON.stringify(step)}`),
        });
    } finally {
        await cluster.stop();
    }
}
