/**
 * Types of the Kafka Connect REST API as the client uses them, and the client's error type.
 * Serialized with the dynamic provider: imports only the provider's defaults (itself without imports).
 */
import { PROVIDER_DEFAULTS } from "./providerDefaults";

/** Where the REST API is and how to authenticate to it. */
export interface RestTarget {
    /** Base URL, e.g. `http://connect:8083` or an API-server service-proxy URL. No trailing slash needed. */
    readonly baseUrl: string;
    /** Extra headers, e.g. `Authorization`. */
    readonly headers?: Readonly<Record<string, string>>;
    readonly caCertificatePem?: string;
    readonly clientCertificatePem?: string;
    readonly clientKeyPem?: string;
    readonly insecureSkipTlsVerify?: boolean;
}

export interface RetryPolicy {
    /** Give up on one request attempt after this long. */
    readonly requestTimeoutMs: number;
    /** Stop retrying transient failures after this long, counted from the first attempt. */
    readonly deadlineMs: number;
    readonly initialBackoffMs: number;
    readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = PROVIDER_DEFAULTS.retry;

export type ConnectErrorKind =
    "not-found" | "conflict" | "bad-request" | "server" | "unreachable" | "timeout" | "failed";

/** A REST call that did not succeed; `kind` says what to do about it. */
export interface ConnectRestError extends Error {
    readonly name: "ConnectRestError";
    readonly kind: ConnectErrorKind;
    readonly status?: number;
}

/**
 * Makes a ConnectRestError. A factory, not `class … extends Error`: the dynamic provider runs this code as
 * Pulumi serialized it, where such a class yields objects that are not Errors (no message, no stack, printed
 * as "[object Object]"). This yields a real Error.
 */
export function connectRestError(kind: ConnectErrorKind, message: string, status?: number): ConnectRestError {
    return Object.assign(new Error(message), { name: "ConnectRestError" as const, kind, status });
}

/** Whether `error` is a ConnectRestError (recognised by its name: there is no class to test against). */
export function isConnectRestError(error: unknown): error is ConnectRestError {
    return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "ConnectRestError";
}

export type TaskState = "UNASSIGNED" | "RUNNING" | "PAUSED" | "FAILED" | "RESTARTING" | "STOPPED";

export interface ConnectorStatus {
    readonly name: string;
    readonly connector: { readonly state: TaskState; readonly worker_id: string; readonly trace?: string };
    readonly tasks: readonly {
        readonly id: number;
        readonly state: TaskState;
        readonly worker_id: string;
        readonly trace?: string;
    }[];
    readonly type?: string;
}

export interface ConnectorInfo {
    readonly name: string;
    readonly config: Record<string, string>;
    readonly tasks: readonly { readonly connector: string; readonly task: number }[];
    readonly type?: string;
}

/** What Connect's validate endpoint found: per-key error messages and which keys are passwords. */
export interface ConfigValidation {
    readonly errorCount: number;
    readonly errors: Readonly<Record<string, readonly string[]>>;
    /** Keys Connect declares as PASSWORD: their values belong in secrets, not plain config. */
    readonly passwordKeys: readonly string[];
}

export interface ValidateResponse {
    readonly error_count: number;
    readonly configs: readonly {
        readonly definition: { readonly name: string; readonly type: string };
        readonly value: { readonly name: string; readonly errors: readonly string[] };
    }[];
}

/** One stored offset, as the offsets API (Kafka 3.6+) shows it. For a sink: topic/partition → kafka_offset. */
export interface ConnectorOffset {
    readonly partition: Record<string, unknown>;
    readonly offset: Record<string, unknown> | null;
}
