/**
 * Workers that never answer. A Kafka Connect worker looks up the Kafka cluster's id before it opens its REST API
 * (AbstractConnectCli.startConnect); when it cannot reach Kafka it gives up after 60 s ("Failed to connect to and
 * describe Kafka cluster. Check worker's broker connection and security properties.") and exits, having refused
 * every connection (Kafka 4.3.1, bootstrap on a closed port: ECONNREFUSED for 62 s, then exit code 2; in a pod,
 * a restart loop, and the API server's service proxy answers 503 as no pod is ever Ready). So a target of which no
 * request was ever answered, only refused or answered 502/503/504 by something in front of it, for longer than
 * the grace, most likely has workers that cannot reach Kafka. Serialized with the provider, like the rest of rest/.
 */
import { ConnectClusterError, connectClusterError } from "../errors";
import { processShared } from "./processShared";
import { safeOrigin } from "./restErrors";

interface Silence {
    /** When the current run of failed attempts without an answer began. */
    since: number;
    /** When the last attempt failed without an answer. */
    last: number;
    /** Whether a worker ever answered (anything but a refusal or a proxy's 502/503/504). */
    answered: boolean;
}

/**
 * A pause longer than this between two failed attempts starts the silence anew (a retrying call tries at least every
 * 5 s): the time a preview's validation and the update of the same `up` are apart, e.g. at the confirmation prompt,
 * is not counted as workers not answering.
 */
const RESTART_AFTER_MS = 15_000;

/** Per target (base URL), per process: every ConnectRestClient of one `up` shares what was seen. */
function silences(): Map<string, Silence> {
    return processShared("silences@1", () => new Map<string, Silence>());
}

/** A worker at `baseUrl` answered: it will never be called silent in this process. */
export function noteAnswer(baseUrl: string): void {
    silences().set(baseUrl, { since: 0, last: 0, answered: true });
}

/**
 * After a failure without an answer (`unreachable` or `unavailable`): the error to fail with now, when no worker at
 * `baseUrl` has ever answered this process, and its attempts have failed without an answer for `graceMs` or longer.
 */
export function silenceError(
    baseUrl: string,
    origin: string,
    failure: ConnectClusterError,
    graceMs: number,
    kafkaBootstrap: string | undefined,
    now = Date.now(),
): ConnectClusterError | undefined {
    const all = silences();
    const seen = all.get(baseUrl) ?? { since: now, last: now, answered: false };
    all.set(baseUrl, seen);
    if (seen.answered) {
        return undefined;
    }
    if (now - seen.last > RESTART_AFTER_MS) {
        seen.since = now;
    }
    seen.last = now;
    if (now - seen.since < graceMs) {
        return undefined;
    }
    return connectClusterError("unreachable", neverAnsweredMessage(origin, graceMs, kafkaBootstrap, failure.message));
}

/**
 * After a failed attempt: an answer (any failure but a refusal or a 502/503/504) marks the target as answering;
 * otherwise, with a grace, throws once the target has been silent for it.
 */
export function throwIfNeverAnswered(
    baseUrl: string,
    failure: ConnectClusterError,
    graceMs: number | undefined,
    kafkaBootstrap: string | undefined,
): void {
    if (failure.kind !== "unreachable" && failure.kind !== "unavailable") {
        noteAnswer(baseUrl);
        return;
    }
    const silent =
        graceMs === undefined
            ? undefined
            : silenceError(baseUrl, safeOrigin(baseUrl), failure, graceMs, kafkaBootstrap);
    if (silent !== undefined) {
        throw silent;
    }
}

/** The message of a target whose workers never answered (exact: tests assert it). */
export function neverAnsweredMessage(
    origin: string,
    graceMs: number,
    kafkaBootstrap: string | undefined,
    lastFailure: string,
): string {
    const kafka = kafkaBootstrap === undefined ? "the Kafka cluster" : `the Kafka cluster at ${kafkaBootstrap}`;
    return (
        `No Kafka Connect worker has answered at ${origin} for ${graceMs / 1000} s: is ${kafka} ` +
        `reachable from the workers? A worker serves its REST API only after it has reached Kafka; one that ` +
        `cannot never joins the group and exits after 60 s with "Failed to connect to and describe Kafka ` +
        `cluster" in its log. Check bootstrapServers, the Kafka security settings and the network path from the ` +
        `pods to Kafka. Last failure: ${lastFailure}`
    );
}
