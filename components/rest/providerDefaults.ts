/**
 * The dynamic provider's and its REST client's timings and defaults, in one block, each with its reason.
 * No imports: serialized with the provider, which may not import config/ (config/defaults.ts holds the
 * component's defaults); test/unit/defaults.test.ts checks that the two agree where they meet.
 */
export const PROVIDER_DEFAULTS = {
    /** Retries of one REST call (`RetryPolicy`); the deadline is also bounded by `connectorReadyTimeoutSeconds`. */
    retry: {
        /**
         * One attempt. Longer than Connect's own REST timeout (90 s, fixed): when the workers cannot reach Kafka,
         * Connect's answer "Request timed out" names the cause; a shorter client timeout only ever saw "did not
         * answer". Every attempt still ends by the call's deadline.
         */
        requestTimeoutMs: 95_000,
        /** Two minutes cover a rebalance and workers restarting after a rollout. */
        deadlineMs: 120_000,
        /** A rebalance often settles within a second: the first retries come quickly. */
        initialBackoffMs: 250,
        /** Backoff doubles up to this, so a worker coming back is noticed within 5 s. */
        maxBackoffMs: 5_000,
        /**
         * A worker opens its REST API only once it has reached Kafka, and one that cannot gives up after 60 s
         * (Kafka's `default.api.timeout.ms`) without ever answering: when no worker of a target has answered
         * anything for 60 s, the call fails at once with the likely cause (a wrong bootstrap address) instead of
         * retrying to its deadline. Measured: Kafka 4.3.1, a closed bootstrap port, refused for 62 s, then exit.
         */
        neverAnsweredGraceMs: 60_000,
    },
    /** How often `waitUntilRunning` reads the status: twice a second costs Connect little. */
    statusPollMs: 500,
    /** How often `waitForState` reads the status while a connector stops (its tasks commit within a second). */
    statePollMs: 250,
    /** How long a connector must stay RUNNING after a change: right after an update Connect still reports the
     * replaced tasks. */
    runningStableMs: 1_000,
    /** How long a preview waits for the REST API before validating at apply instead (the cluster may not exist). */
    previewValidationDeadlineMs: 5_000,
    /** How long a validation serves a later write of the same config in the same process (`check` then `create`). */
    validationReuseMs: 10 * 60_000,
    /**
     * A listing of every connector serves each read that comes within this window of the previous one: the engine
     * checks or reads connectors one after another (500 took 34 s under load), so a run's reads form one burst
     * however long it lasts, and a burst after a pause (a rollout in the same `up`) lists again.
     */
    snapshotTtlMs: 2_000,
    /** ... but no listing serves reads for longer than this after it arrived. */
    snapshotMaxAgeMs: 60_000,
    /**
     * Progress lines during `up`: the first once a wait or a run of retries has lasted `firstAfterMs` (a quick
     * change prints nothing), then on each change of what is seen (at most one per `minGapMs`) and at least every
     * `everyMs` while it lasts, so a slow rebalance is visible instead of a silent minute.
     */
    progress: { firstAfterMs: 5_000, everyMs: 10_000, minGapMs: 1_000 },
    /** A connector's offsets are kept when it is deleted unless its inputs say otherwise. */
    deleteOffsetsOnDelete: false,
    /**
     * After `POST /restart?onlyFailed=true` the status topic may still show a restarted task FAILED for a moment;
     * one still FAILED this long after the restart failed again (a task failing in `start()` does so within a second).
     */
    restartSettleMs: 30_000,
    /** How long restarted tasks must stay RUNNING before `up` calls the restart a success. */
    restartStableMs: 5_000,
    /** Lines of a failure's stack trace kept in outputs and errors (the exception and where it was thrown). */
    traceLines: 8,
    /** Characters of a failure's trace kept at most, for traces with very long lines. */
    traceMaxChars: 2_000,
    /** A connector whose inputs name no state (one in a state written before `state` existed) runs. */
    state: "running",
} as const;
