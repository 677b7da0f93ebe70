/**
 * Progress lines: when they are printed (not before `firstAfterMs`, at once on a change but at most one per
 * `minGapMs`, every `everyMs` while nothing changes, again from the start for a new wait), and what they say
 * (states, workers, the retry's reason from its kind and status) — never a message text or body.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeStates, progressObserver, progressReporter, retryReason } from "../../components/provider/progress";
import { PROVIDER_DEFAULTS } from "../../components/rest/providerDefaults";
import type { ConnectorStatus } from "../../components/rest/restClient";

const OPTIONS = { firstAfterMs: 5_000, everyMs: 10_000, minGapMs: 1_000 };

/** A reporter on a clock the test moves; returns the lines printed. */
function clocked() {
    let now = 1_000_000;
    const lines: string[] = [];
    const reporter = progressReporter(
        (line) => lines.push(line),
        OPTIONS,
        () => now,
    );
    /** An event `elapsedMs` into a wait that began at `start`. */
    const at = (start: number, elapsedMs: number, key: string) => {
        now = start + elapsedMs;
        reporter.report("wait x", key, elapsedMs, () => `${key} after ${elapsedMs}`);
    };
    return { lines, at };
}

const status = (connector: string, ...tasks: string[]): ConnectorStatus =>
    ({
        name: "x",
        connector: { state: connector, worker_id: "w1:8083" },
        tasks: tasks.map((state, id) => ({ id, state, worker_id: `w${id + 1}:8083` })),
        type: "sink",
    }) as unknown as ConnectorStatus;

describe("progress reporter", () => {
    it("prints nothing for a wait shorter than firstAfterMs", () => {
        const { lines, at } = clocked();
        for (let t = 0; t < 5_000; t += 500) {
            at(0, t, "connector RUNNING");
        }
        assert.deepEqual(lines, []);
    });

    it("then a line at once, one every everyMs while nothing changes, and a change after minGapMs", () => {
        const { lines, at } = clocked();
        for (let t = 0; t <= 26_000; t += 500) {
            at(0, t, t < 20_000 ? "UNASSIGNED" : t < 20_600 ? "RUNNING" : "FAILED");
        }
        assert.deepEqual(lines, [
            "UNASSIGNED after 5000",
            "UNASSIGNED after 15000",
            "RUNNING after 20000",
            "FAILED after 21000",
        ]);
    });

    it("a new wait starts over: nothing before its own firstAfterMs", () => {
        const { lines, at } = clocked();
        at(0, 6_000, "a");
        at(100_000, 500, "a");
        at(100_000, 4_500, "b");
        at(100_000, 5_000, "b");
        assert.deepEqual(lines, ["a after 6000", "b after 5000"]);
    });

    it("uses the provider's defaults: first after 5 s, then every 10 s, changes at most once a second", () => {
        assert.deepEqual(PROVIDER_DEFAULTS.progress, OPTIONS);
    });
});

describe("progress lines", () => {
    it("describe the connector's and tasks' states with their workers, and an unassigned one as a rebalance", () => {
        assert.equal(
            describeStates(status("RUNNING", "RUNNING", "UNASSIGNED")),
            "connector RUNNING on w1:8083, task 0 RUNNING on w1:8083, task 1 UNASSIGNED on w2:8083, " +
                "(unassigned: a rebalance is in progress or a worker left)",
        );
        assert.equal(describeStates(status("RUNNING")), "connector RUNNING on w1:8083, no tasks yet");
        assert.equal(describeStates(undefined), "the connector does not exist yet");
    });

    it("give a retry's reason from its kind and status only", () => {
        assert.equal(retryReason({ kind: "rebalancing", status: 409 }), "HTTP 409, rebalance in progress");
        assert.equal(retryReason({ kind: "no-answer" }), "no answer");
        assert.equal(
            retryReason({ kind: "kafka-unavailable", status: 500 }),
            "HTTP 500, the workers cannot reach Kafka",
        );
    });

    it("through the REST observer: a wait line and a retry line, built from states and kinds", () => {
        let now = 0;
        const lines: string[] = [];
        const observer = progressObserver(
            progressReporter(
                (line) => lines.push(line),
                OPTIONS,
                () => now,
            ),
        );
        now = 7_000;
        observer.waiting!("orders-sink", "RUNNING", status("RUNNING", "UNASSIGNED"), 7_000);
        observer.retrying!({
            subject: 'connector "orders-sink"',
            method: "PUT",
            kind: "rebalancing",
            status: 409,
            attempt: 4,
            backoffMs: 2_000,
            elapsedMs: 6_200,
        });
        assert.deepEqual(lines, [
            'connector "orders-sink": waiting for RUNNING (7 s so far): connector RUNNING on w1:8083, task 0 ' +
                "UNASSIGNED on w1:8083, (unassigned: a rebalance is in progress or a worker left)",
            'connector "orders-sink": PUT failed (HTTP 409, rebalance in progress); retrying, attempt 5 in 2 s ' +
                "(6 s so far)",
        ]);
    });
});
