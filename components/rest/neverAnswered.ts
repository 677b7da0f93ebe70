/**
 * Workers that never answer. A Kafka Connect worker looks up the Kafka cluster's id before it opens its REST API
 * (AbstractConnectCli.startConnect); when it cannot reach Kafka it gives up after 60 s ("Failed to connect to and
 * describe Kafka cluster. Check worker's broker connection and security properties.") and exits, having refused
 * every connection (Kafka 4.3.1, bootstrap on a closed port: ECONNREFUSED for 62 s, then exit code 2; in a pod,
 * a restart loop, and the API server's service proxy answers 503 as no pod is ever Ready). So a target of which no
 * request was ever answered, only refused or answered 502/503/504 by something in front of it, for longer than
 * the grace, most likely has workers that cannot reach Kafka. No imports but errors: serialized with the provider.
 */
import { ConnectClusterError, connectClusterError } from "../errors";

interface Silence {
    /** When the first attempt of this process at this target failed without an answer. */
    readonly since: number;
    /** Whether a worker ever answered (anything but a refusal or a proxy's 502/503/504). */
    answered: boolean;
}

/** Per target (base URL), per process: every ConnectRestClient of one `up` shares what was seen. */
function silences(): Record<string, Silence> {
    // A plain object on globalThis: module values captured by the serialized provider do not survive as Sets/Maps.
    const holder = globalThis as unknown as { __connectClusterSilences?: Record<string, Silence> };
    if (holder.__connectClusterSilences === undefined) {
        holder.__connectClusterSilences = {};
    }
    return holder.__connectClusterSilences;
}

/** A worker at `baseUrl` answered: it will never be called silent in this process. */
export function noteAnswer(baseUrl: string): void {
    silences()[baseUrl] = { since: 0, answered: true };
}

/**
 * After a failure without an answer (`unreachable` or `unavailable`): the error to fail with now, when no worker
 * at `baseUrl` has answered since this process first tried it, `graceMs` or longer ago.
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
    const seen = all[baseUrl] ?? (all[baseUrl] = { since: now, answered: false });
    if (seen.answered || now - seen.since < graceMs) {
        return undefined;
    }
    return connectClusterError("unreachable", neverAnsweredMessage(origin, graceMs, kafkaBootstrap, failure.message));
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
