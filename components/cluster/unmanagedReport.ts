/**
 * The unmanaged-connectors report as a Pulumi resource: its `unmanaged` output names the connectors in the
 * Connect cluster that no declaration covers. It never writes to Connect.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RestAccess } from "../provider/connectorTypes";
import { unmanagedProvider } from "../provider/unmanaged";

export interface UnmanagedReportArgs {
    readonly access: pulumi.Input<RestAccess>;
    readonly readyTimeoutMs: pulumi.Input<number>;
    /** The connectors this stack declares (and previous names of those being renamed). */
    readonly declared: pulumi.Input<string[]>;
    /** Names, or prefixes ending in `*`, of connectors other stacks or tools own. */
    readonly ignore: pulumi.Input<string[]>;
}

export class UnmanagedReport extends pulumi.dynamic.Resource {
    /** Connectors in the cluster that are neither declared nor ignored, sorted (as of the last preview/up/refresh). */
    declare public readonly unmanaged: pulumi.Output<string[]>;

    constructor(name: string, args: UnmanagedReportArgs, opts: pulumi.CustomResourceOptions = {}) {
        super(
            unmanagedProvider,
            name,
            { ...args, access: pulumi.secret(args.access), unmanaged: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["access"] }),
            "connectcluster",
            "UnmanagedConnectors",
        );
    }
}
