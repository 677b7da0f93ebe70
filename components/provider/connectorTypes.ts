/**
 * The dynamic connector resource's inputs and outputs. No imports but types: serialized with the provider.
 */
import type { ConnectorConfig } from "./connectorConfig";
import type { SecretRedaction } from "./failures";
import type { KubernetesProxyAccess } from "../rest/kubeProxy";
import type { ConnectorOffset, RestTarget } from "../rest/restClient";

export type { ConnectorOffset } from "../rest/restClient";

/**
 * What a rename does with the old connector's position: copy its committed offsets to the new one,
 * or start the new one afresh (a sink's new consumer group starts at the earliest offset).
 */
export type RenameMode = "copy-offsets" | "reset";

/**
 * The state a connector is kept in: `running`, `paused` (tasks stay assigned, process nothing, offsets and
 * consumer group kept) or `stopped` (no task at all; offsets kept, and only then alterable).
 */
export type DesiredState = "running" | "paused" | "stopped";

/**
 * Offsets declared for a connector (KIP-875, Kafka 3.6+): `reset` deletes them all, `set` writes these ones. Applied
 * once per change of the declared value; `revision` lets the same reset or set be asked for again.
 */
export type DeclaredOffsets =
    | { readonly reset: true; readonly revision?: string }
    | { readonly set: readonly ConnectorOffset[]; readonly revision?: string };

/** How the provider reaches the REST API; travels as a secret input. */
export type RestAccess = { readonly url: RestTarget } | { readonly kubernetesServiceProxy: KubernetesProxyAccess };

/** Resolved inputs of a connector resource. */
export interface ConnectorInputs {
    readonly name: string;
    readonly config: ConnectorConfig;
    readonly access: RestAccess;
    /** Digest of the connector's mounted secret values; a change means a restart. */
    readonly secretsDigest?: string;
    /** Set when this connector replaces one with another name: how its position carries over. */
    readonly rename?: { readonly from: string; readonly mode: RenameMode };
    /** The state `up` keeps the connector in; absent (state written before this field) means running. */
    readonly state?: DesiredState;
    /** Offsets to reset or set, once per change of this value (stop, alter, back to `state`). */
    readonly offsets?: DeclaredOffsets;
    /** Put the connector's current offsets (GET /offsets) in the outputs after create, update and read. */
    readonly readOffsets?: boolean;
    /**
     * Take over a connector of this name that already exists (create writes its config only when different)
     * instead of failing; only create reads it (default: false).
     */
    readonly adopt?: boolean;
    /** When the connector is deleted, delete its offsets too (default: keep them). */
    readonly deleteOffsetsOnDelete?: boolean;
    /** Bound on waiting for RUNNING, and on retrying transient REST failures. */
    readonly readyTimeoutMs: number;
    /**
     * The workers' `bootstrap.servers`, named when no worker ever answers (likely: Kafka unreachable from them).
     * Only messages use it: not compared by diff, so a stack written before it shows no change.
     */
    readonly kafkaBootstrap?: string;
    /** Keyed digests of the connector's secret values, to redact them from traces; stored as a secret. */
    readonly secretRedaction?: SecretRedaction;
    /**
     * Set by `check` (never by the caller) when Connect reports the connector or some of its tasks FAILED, e.g.
     * `["task 0"]`: the preview shows it, and `update` restarts exactly those. Never kept in the outputs.
     */
    readonly restartFailed?: readonly string[];
}

export interface TaskStateOutput {
    readonly id: number;
    readonly state: string;
    readonly workerId: string;
    /** The task's trace when it FAILED: first lines, secret values redacted. */
    readonly trace?: string;
}

/** Outputs: the inputs plus what Connect reports. */
export interface ConnectorOutputs extends ConnectorInputs {
    readonly connectorState: string;
    readonly workerId: string;
    readonly tasks: TaskStateOutput[];
    /** The connector's committed offsets, with `readOffsets` only. */
    readonly currentOffsets?: ConnectorOffset[];
    /** The connector's own trace when it FAILED: first lines, secret values redacted. */
    readonly connectorTrace?: string;
}
