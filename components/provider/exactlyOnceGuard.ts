/**
 * Remembers the exactly-once source mode an `up` applied, so the next preview can refuse an unsafe move
 * (see exactlyOnceGuardProvider.ts). The workers' Secret and Deployment depend on it: when it refuses, nothing
 * about the workers changes.
 */
import * as pulumi from "@pulumi/pulumi";
import { exactlyOnceGuardProvider } from "./exactlyOnceGuardProvider";

export class ExactlyOnceGuard extends pulumi.dynamic.Resource {
    /** The mode of the last successful `up`. */
    declare public readonly mode: pulumi.Output<string>;

    constructor(name: string, args: { readonly mode: pulumi.Input<string> }, opts: pulumi.CustomResourceOptions = {}) {
        super(exactlyOnceGuardProvider, name, { mode: args.mode }, opts, "connectcluster", "ExactlyOnceGuard");
    }
}
