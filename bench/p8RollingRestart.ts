/**
 * P8: a rolling restart of 3 workers in the Deployment's two orders (the scenario is
 * test/integration/rollingRestart.ts), with the component's defaults: surge-first (maxSurge 1, maxUnavailable 0,
 * the component's strategy before this comparison) beside leave-first (maxSurge 0, maxUnavailable 1, with
 * minReadySeconds past the rebalance delay): task moves per step, the longest pause in any connector's output,
 * records missing or written twice.
 */
import { DEFAULTS } from "../components/config/defaults";
import { startCluster } from "../test/integration/harness";
import { RollingOrder, RollingResult, RollingStep, rollingRestartScenario } from "../test/integration/rollingRestart";
import { seconds } from "./stats";

const CONNECTORS = 3;
const TASKS = 4;
const RATE = 100;

interface Variant {
    readonly label: string;
    readonly heading: string;
    readonly order: RollingOrder;
    readonly minReadyMs: number;
}

export async function benchRollingRestart(): Promise<string> {
    const delayMs = DEFAULTS.scheduledRebalanceMaxDelayMs;
    const minReadyMs = delayMs + 5_000;
    const variants: Variant[] = [
        { label: "surge", heading: "surge-first (maxSurge 1, maxUnavailable 0)", order: "surge-first", minReadyMs: 0 },
        {
            label: "leave",
            heading: `leave-first (maxSurge 0, maxUnavailable 1, minReadySeconds ${minReadyMs / 1000})`,
            order: "leave-first",
            minReadyMs,
        },
    ];
    const results: RollingResult[] = [];
    for (const variant of variants) {
        results.push(await rolling(variant));
    }
    const perStep = (pick: (step: RollingStep) => string) => results.map((run) => run.steps.map(pick).join(", "));
    const rows: [string, string[], string][] = [
        [
            "tasks the stopped worker ran, per step",
            perStep((s) => String(s.ownTasks)),
            `${CONNECTORS} × ${TASKS} tasks`,
        ],
        ["the stopped worker led the group, per step", perStep((s) => (s.leader ? "yes" : "no")), ""],
        ["task moves per step (worker_id changes in /status)", perStep((s) => String(s.moves)), "goal: ≤ own tasks"],
        [
            "longest pause of any connector's output, per step",
            perStep((s) => seconds(s.longestPauseMs)),
            `watermark polled every 250 ms, ${RATE} records/s`,
        ],
        ["every task RUNNING again, per step", perStep((s) => seconds(s.settledMs)), "from the step's start"],
        [
            "records missing / written twice (all connectors)",
            results.map((run) => `${run.missing} / ${run.duplicated} of ${run.produced * CONNECTORS}`),
            "",
        ],
    ];
    const flush = Number(DEFAULTS.failoverWorkerSettings["offset.flush.interval.ms"]) / 1000;
    const lines = [
        `### P8: rolling restart of 3 workers (delay ${delayMs / 1000} s, flush ${flush} s), two Deployment orders`,
        "",
        `| measure | ${variants.map((v) => v.heading).join(" | ")} | note |`,
        `|---|${variants.map(() => "---|").join("")}---|`,
        ...rows.map(([measure, values, note]) => `| ${measure} | ${values.join(" | ")} | ${note} |`),
        "",
    ];
    const text = lines.join("\n");
    console.log(text);
    return text;
}

async function rolling(variant: Variant): Promise<RollingResult> {
    const cluster = await startCluster({
        workers: 3,
        groupId: `bench-p8-${variant.label}`,
        label: `bench-p8-${variant.label}`,
        scheduledRebalanceMaxDelayMs: DEFAULTS.scheduledRebalanceMaxDelayMs,
        workerOverrides: DEFAULTS.failoverWorkerSettings,
    });
    try {
        return await rollingRestartScenario(cluster, {
            connectors: CONNECTORS,
            tasks: TASKS,
            ratePerSecond: RATE,
            workerOverrides: DEFAULTS.failoverWorkerSettings,
            order: variant.order,
            minReadyMs: variant.minReadyMs,
            onStep: (step) => console.log(`P8 ${variant.label} step: ${JSON.stringify(step)}`),
        });
    } finally {
        await cluster.stop();
    }
}
