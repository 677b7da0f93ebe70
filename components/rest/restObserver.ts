/**
 * What the REST client tells an observer while it waits: a retry of a transient failure (with its kind and
 * HTTP status, never a message text or body, which may quote a config value), and each status seen while it
 * polls for a state. The client only calls it; what is shown, and how often, is the provider's business
 * (provider/progress.ts). No imports but types: serialized with the dynamic provider.
 */
import type { ConnectClusterErrorKind } from "../errors";
import type { ConnectorStatus } from "./restTypes";

export interface RetryEvent {
    /** What the call was for, e.g. `connector "x"` or `the Connect cluster`. */
    readonly subject: string;
    readonly method: string;
    /** The failure's kind (`rebalancing`, `no-answer`, ...) and HTTP status when there was an answer. */
    readonly kind: ConnectClusterErrorKind;
    readonly status?: number;
    /** The attempt that failed (1 = the first) and the wait before the next. */
    readonly attempt: number;
    readonly backoffMs: number;
    /** Since the call's first attempt. */
    readonly elapsedMs: number;
}

export interface RestObserver {
    /** A transient failure is retried after `backoffMs`. */
    retrying?(event: RetryEvent): void;
    /**
     * A poll for `want` (RUNNING, PAUSED, STOPPED), `elapsedMs` after the wait began, saw `status` (undefined: the
     * connector does not exist).
     */
    waiting?(name: string, want: string, status: ConnectorStatus | undefined, elapsedMs: number): void;
}
