/**
 * Progress lines during `up`: what the provider is waiting for (the connector's and its tasks' states) and which
 * REST calls it retries and why (a rebalance, no answer, ...), rate-limited so a quick change prints nothing and a
 * slow one a line every few seconds. Lines are built from names, states, worker ids, HTTP statuses and error
 * kinds only: never a config value, a message text or a response body, so no secret can reach them.
 * A dynamic provider has no engine log connection of its own: it prints to stderr, which the engine shows in
 * `pulumi up` output (as it does for `warnOnce`).
 */
import type { ConnectorStatus, RestObserver, RetryEvent } from "../rest/restClient";
import { PROVIDER_DEFAULTS } from "../rest/providerDefaults";
import { processShared } from "../rest/processShared";

export interface ProgressOptions {
    /** Nothing is printed before a wait (or a run of retries) has lasted this long. */
    readonly firstAfterMs: number;
    /** While it lasts, a line at least this often even when nothing changes. */
    readonly everyMs: number;
    /** A change is printed at once, but at most one line per this interval. */
    readonly minGapMs: number;
}

interface Entry {
    /** When this wait began (now − elapsed at its first event). */
    readonly startedAt: number;
    printedAt?: number;
    printedKey?: string;
}

export interface ProgressReporter {
    /**
     * One event of the wait `channel` (e.g. a connector's status polls), `elapsedMs` into it. `key` is what is
     * seen (a change of it is worth a line); `line` the text, built only when printed.
     */
    report(channel: string, key: string, elapsedMs: number, line: () => string): void;
}

/**
 * Decides which events become lines. Pure apart from the clock and `print` it is given. A closure over a plain
 * object rather than a class with a Map: Pulumi serializes this code into the state.
 */
export function progressReporter(
    print: (line: string) => void,
    options: ProgressOptions,
    now: () => number = Date.now,
): ProgressReporter {
    const entries: Record<string, Entry> = {};
    return {
        report(channel, key, elapsedMs, line) {
            const at = now();
            const startedAt = at - elapsedMs;
            let entry = entries[channel];
            // A wait that began after the one recorded is a new wait: its first line again waits `firstAfterMs`.
            if (entry === undefined || startedAt > entry.startedAt + options.minGapMs) {
                entry = entries[channel] = { startedAt };
            }
            if (elapsedMs < options.firstAfterMs) {
                return;
            }
            const since = entry.printedAt === undefined ? Infinity : at - entry.printedAt;
            if (since >= options.everyMs || (key !== entry.printedKey && since >= options.minGapMs)) {
                entry.printedAt = at;
                entry.printedKey = key;
                print(line());
            }
        },
    };
}

/** Why a retry happens, from the failure's kind alone. */
export function retryReason(event: Pick<RetryEvent, "kind" | "status">): string {
    const reasons: Record<string, string> = {
        rebalancing: "rebalance in progress",
        "kafka-unavailable": "the workers cannot reach Kafka",
        unavailable: "Connect is unavailable",
        unreachable: "no worker reachable",
        "no-answer": "no answer",
    };
    const reason = reasons[event.kind] ?? event.kind;
    return event.status === undefined ? reason : `HTTP ${event.status}, ${reason}`;
}

/** The connector's and its tasks' states with their workers, e.g. `connector RUNNING on w1, task 0 UNASSIGNED`. */
export function describeStates(status: ConnectorStatus | undefined): string {
    if (status === undefined) {
        return "the connector does not exist yet";
    }
    const on = (worker: string | undefined) => (worker ? ` on ${worker}` : "");
    const tasks = status.tasks.map((task) => `task ${task.id} ${task.state}${on(task.worker_id)}`);
    const unassigned = [status.connector, ...status.tasks].some((unit) => unit.state === "UNASSIGNED");
    return [
        `connector ${status.connector.state}${on(status.connector.worker_id)}`,
        ...(tasks.length > 0 ? tasks : ["no tasks yet"]),
        ...(unassigned ? ["(unassigned: a rebalance is in progress or a worker left)"] : []),
    ].join(", ");
}

function seconds(ms: number): string {
    return `${Math.round(ms / 1000)} s`;
}

/** An observer for the REST client that turns its events into progress lines through `reporter`. */
export function progressObserver(reporter: ProgressReporter): RestObserver {
    return {
        retrying(event) {
            reporter.report(
                `retry ${event.subject}`,
                `${event.method} ${event.kind} ${event.status}`,
                event.elapsedMs,
                () =>
                    `${event.subject}: ${event.method} failed (${retryReason(event)}); retrying, attempt ` +
                    `${event.attempt + 1} in ${seconds(event.backoffMs)} (${seconds(event.elapsedMs)} so far)`,
            );
        },
        waiting(name, want, status, elapsedMs) {
            const seen = describeStates(status);
            reporter.report(
                `wait ${name}`,
                `${want} ${seen}`,
                elapsedMs,
                () => `connector "${name}": waiting for ${want} (${seconds(elapsedMs)} so far): ${seen}`,
            );
        },
    };
}

/**
 * The provider process's observer: one reporter shared by every connector resource (rest/processShared.ts),
 * printing `progress: ...` lines to stderr.
 */
export function providerProgress(): RestObserver {
    return processShared("progress@1", () =>
        progressObserver(progressReporter((line) => console.warn(`progress: ${line}`), PROVIDER_DEFAULTS.progress)),
    );
}
