/**
 * A random value generated once per component and kept only in the stack's state, as a secret: the key of
 * digests that must not let anyone test guesses of the values they cover (the pod template's checksum).
 */
import * as pulumi from "@pulumi/pulumi";
import { saltProvider } from "./saltProvider";

export class Salt extends pulumi.dynamic.Resource {
    /** 32 random bytes as 64 hex digits; a secret. */
    declare public readonly value: pulumi.Output<string>;

    constructor(name: string, opts: pulumi.CustomResourceOptions = {}) {
        super(
            saltProvider,
            name,
            { value: undefined },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["value"] }),
            "connectcluster",
            "Salt",
        );
    }
}
