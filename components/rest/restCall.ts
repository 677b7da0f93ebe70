/**
 * One logical call to the Connect REST API: each attempt through the transport, transient failures retried with
 * exponential backoff until the deadline, a request that may have taken effect sent again only when that is
 * safe. `ConnectRestClient` makes every request through `callWithRetries`. No Pulumi import: serialized with
 * the dynamic provider.
 */
import { ConnectClusterError, connectClusterError, isConnectClusterError } from "../errors";
import { sendRequest } from "./httpTransport";
import { noteAnswer, throwIfNeverAnswered } from "./neverAnswered";
import { HttpResponse, httpError, isTransient, NO_ANSWER_CODE, networkError } from "./restErrors";
import type { RestObserver } from "./restObserver";
import { RestCredentials, RestTarget, RetryPolicy } from "./restTypes";

/**
 * How a call may repeat a request after a failure that left it unknown whether the request took effect (no
 * answer, a reset connection, Connect's "Request timed out", which leaves the request queued in the herder).
 * `idempotent`: sending it again is harmless (GET, PUT, DELETE, PATCH). A function: asks Connect whether the
 * first request took effect; `true` ends the call as a success, `false` sends it again. Absent: the call fails.
 */
export type Resend = "idempotent" | ((remainingMs: number) => Promise<boolean>) | undefined;

/** Where and how a call is made: the client's target, retry policy, credentials and observer. */
export interface CallContext {
    readonly target: RestTarget;
    readonly retry: RetryPolicy;
    /** Asked before every attempt (it caches what it can) and merged over `target`. */
    readonly credentials?: () => Promise<RestCredentials>;
    readonly observer?: RestObserver;
    /** Named in the message of workers that never answer (neverAnswered.ts); absent: "the Kafka cluster". */
    readonly kafkaBootstrap?: string;
}

export interface CallOptions {
    /** By default only requests other than POST are sent again after an uncertain failure. */
    readonly resend?: Resend;
    /** Told of each failure after which the request may have taken effect. */
    readonly onUncertain?: () => void;
}

/** What is asked: the method, the path, the body (JSON), what the call is for (in errors) and the options. */
export type CallRequest = [method: string, path: string, body: unknown, subject: string, options?: CallOptions];

/**
 * One logical call: retried with exponential backoff while failures are transient and the deadline allows.
 * Every attempt, its request timeout included, ends by the deadline. A request that may have taken effect
 * is sent again only as `resend` allows (by default only requests other than POST).
 */
export async function callWithRetries(context: CallContext, ...request: CallRequest): Promise<HttpResponse> {
    const [method, path, body, subject, options = {}] = request;
    const { retry, credentials, observer } = context;
    const resend = "resend" in options ? options.resend : method === "POST" ? undefined : "idempotent";
    const started = Date.now();
    const giveUpAt = started + retry.deadlineMs;
    let backoff = retry.initialBackoffMs;
    // The last failure that said why: a final attempt cut short by the deadline only adds "no answer".
    let cause: ConnectClusterError | undefined;
    for (let attempt = 1; ; attempt++) {
        // Outside the try: failing to get a credential is not a transient network failure, so it is not retried.
        const target = credentials === undefined ? context.target : { ...context.target, ...(await credentials()) };
        let failure: ConnectClusterError;
        let uncertain: boolean;
        try {
            const timeoutMs = Math.max(1, Math.min(retry.requestTimeoutMs, giveUpAt - Date.now()));
            const response = await sendRequest(target, method, path, body, timeoutMs);
            if (response.status < 300) {
                noteAnswer(context.target.baseUrl);
                return response;
            }
            failure = httpError(method, path, subject, response);
            // The herder goes on with a request whose REST answer timed out; a proxy's 502/504 may hide one.
            uncertain = failure.kind === "kafka-unavailable" || response.status === 502 || response.status === 504;
        } catch (error) {
            failure = isConnectClusterError(error)
                ? error
                : networkError(method, path, subject, context.target.baseUrl, error);
            const code = (error as { code?: string }).code;
            uncertain = code === NO_ANSWER_CODE || code === "ECONNRESET" || code === "EPIPE";
        }
        throwIfNeverAnswered(context.target.baseUrl, failure, retry.neverAnsweredGraceMs, context.kafkaBootstrap);
        if (!isTransient(failure)) {
            throw failure;
        }
        if (uncertain) {
            options.onUncertain?.();
        }
        if (uncertain && resend !== "idempotent") {
            if (resend === undefined) {
                throw withNote(failure, "not sent again: it may have taken effect");
            }
            if (await resend(giveUpAt - Date.now())) {
                return { status: 200, body: "{}" };
            }
        }
        const remaining = giveUpAt - Date.now();
        // No attempt after the deadline, nor one left only the crumbs of it.
        cause = failure.kind === "no-answer" ? (cause ?? failure) : failure;
        if (remaining <= backoff) {
            throw withNote(cause, `gave up after ${attempt} attempts in ${Date.now() - started} ms`);
        }
        observer?.retrying?.({
            subject,
            method,
            kind: failure.kind,
            status: failure.status,
            attempt,
            backoffMs: backoff,
            elapsedMs: Date.now() - started,
        });
        await sleep(backoff);
        backoff = Math.min(backoff * 2, retry.maxBackoffMs);
    }
}

/** The error with a note in its closing parenthesis: "(GET /x for y)" becomes "(GET /x for y; note)". */
function withNote(error: ConnectClusterError, note: string): ConnectClusterError {
    const message = error.message.endsWith(")")
        ? `${error.message.slice(0, -1)}; ${note})`
        : `${error.message} (${note})`;
    return connectClusterError(error.kind, message, { field: error.field, status: error.status });
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
