/**
 * Types of the Kafka Connect REST API as the client uses them, and the client's error type.
 * Imports only the base error module and the provider's defaults (itself without imports): serialized with the
 * dynamic provider.
 */
import type { ConnectClusterError } from "../errors";
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

/**
 * TLS material and headers resolved just before each request, for targets whose credentials expire (a
 * kubeconfig's exec plugin). Merged over the target's own fields.
 */
export type RestCredentials = Pick<
    RestTarget,
    "headers" | "caCertificatePem" | "clientCertificatePem" | "clientKeyPem" | "insecureSkipTlsVerify"
>;

export interface RetryPolicy {
    /** Give up on one request attempt after this long (cut to the time left before `deadlineMs`). */
    readonly requestTimeoutMs: number;
    /** Stop retrying transient failures after this long, counted from the first attempt. */
    readonly deadlineMs: number;
    readonly initialBackoffMs: number;
    readonly maxBackoffMs: number;
    /**
     * Give up sooner, with a message about Kafka, when no worker has answered at all for this long (see
     * neverAnswered.ts). Absent: only the deadline ends the retries.
     */
    readonly neverAnsweredGraceMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = PROVIDER_DEFAULTS.retry;

/**
 * A REST call that did not succeed: a ConnectClusterError whose `kind` says what to do about it (see
 * ConnectClusterErrorKind: which kinds are transient). The name stays for callers that used it.
 */
export type ConnectRestError = ConnectClusterError;

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
