/**
 * A Kafka Connect connector as a Pulumi resource, managed by the dynamic provider over the REST API.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    ConnectorOffset,
    connectorProvider,
    DeclaredOffsets,
    DesiredState,
    RenameMode,
    RestAccess,
    TaskStateOutput,
} from "./connectorProvider";
import type { SecretRedaction } from "./failures";
import { suspendPromiseStackTraces, withStackTrace } from "./promiseStacks";

export interface ConnectorResourceArgs {
    /** Connector name in the Connect cluster; changing it replaces the connector. */
    readonly name: pulumi.Input<string>;
    /** Connector config; values are sent to Connect as strings. */
    readonly config: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
    /** Digest of the connector's secret values: when it changes, the connector is restarted. Stored as a secret. */
    readonly secretsDigest?: pulumi.Input<string>;
    /** Set when this connector replaces one with another name. */
    readonly rename?: pulumi.Input<{ readonly from: string; readonly mode: RenameMode }>;
    /** The state `up` keeps the connector in; a change pauses, resumes or stops it in place. Default: running. */
    readonly state?: pulumi.Input<DesiredState>;
    /** Offsets to reset or set, once per change of this value. Default: none. */
    readonly offsets?: pulumi.Input<DeclaredOffsets>;
    /** Put the connector's current offsets in `currentOffsets`. Default: false. */
    readonly readOffsets?: pulumi.Input<boolean>;
    /** Take over an existing connector of this name on create instead of failing. Default: false. */
    readonly adopt?: pulumi.Input<boolean>;
    /** Delete the connector's offsets along with it. Default: false. */
    readonly deleteOffsetsOnDelete?: pulumi.Input<boolean>;
    /** How to reach the REST API. Always stored as a secret. */
    readonly access: pulumi.Input<RestAccess>;
    /** Bound on waiting for the connector and its tasks to be RUNNING, and on REST retries. */
    readonly readyTimeoutMs: pulumi.Input<number>;
    /** The workers' Kafka bootstrap address, named when no worker ever answers. Default: none (not named). */
    readonly kafkaBootstrap?: pulumi.Input<string>;
    /** Keyed digests of the secret values, to redact them from failure traces. Always stored as a secret. */
    readonly secretRedaction?: pulumi.Input<SecretRedaction>;
}

export class Connector extends pulumi.dynamic.Resource {
    /** The connector's name in the Connect cluster. */
    declare public readonly name: pulumi.Output<string>;
    /** The config as Connect stores it (every value a string). */
    declare public readonly config: pulumi.Output<Record<string, string>>;
    /** The declared state; after a refresh, the one observed (so a hand-made change shows as drift). */
    declare public readonly state: pulumi.Output<DesiredState | undefined>;
    /** The connector's state when last applied or refreshed (RUNNING, PAUSED, FAILED, ...). */
    declare public readonly connectorState: pulumi.Output<string>;
    /** The worker running the connector instance. */
    declare public readonly workerId: pulumi.Output<string>;
    /** Each task's state, worker and, when it FAILED, its trace (first lines, secret values redacted). */
    declare public readonly tasks: pulumi.Output<TaskStateOutput[]>;
    /** The connector's committed offsets as of the last create, update or refresh; only with `readOffsets`. */
    declare public readonly currentOffsets: pulumi.Output<ConnectorOffset[] | undefined>;
    /** The connector's own trace when it FAILED (first lines, secret values redacted); absent otherwise. */
    declare public readonly connectorTrace: pulumi.Output<string | undefined>;

    constructor(name: string, args: ConnectorResourceArgs, opts: pulumi.CustomResourceOptions = {}) {
        const props = {
            ...args,
            access: pulumi.secret(args.access),
            secretsDigest: args.secretsDigest === undefined ? undefined : pulumi.secret(args.secretsDigest),
            secretRedaction: args.secretRedaction === undefined ? undefined : pulumi.secret(args.secretRedaction),
            connectorState: undefined,
            workerId: undefined,
            tasks: undefined,
            currentOffsets: undefined,
            connectorTrace: undefined,
        };
        const options = pulumi.mergeOptions(opts, {
            additionalSecretOutputs: ["access", "secretsDigest", "secretRedaction"],
        });
        const restoreStackTraces = suspendPromiseStackTraces();
        try {
            super(connectorProvider, name, props, options, "connectcluster", "Connector");
        } catch (error) {
            restoreStackTraces();
            throw withStackTrace(error, Connector);
        }
        restoreStackTraces();
    }
}
