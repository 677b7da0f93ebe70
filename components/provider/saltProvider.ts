/**
 * The dynamic provider of Salt: 32 random bytes made once, at create, then never changed. Its code is
 * serialized into the stack state: it captures only the `crypto` module (serialized as a `require`).
 */
import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";

export interface SaltOutputs {
    /** 64 hex digits. */
    readonly value: string;
}

export const saltProvider: pulumi.dynamic.ResourceProvider<Record<string, never>, SaltOutputs> = {
    async create() {
        // The ID is shown in previews and logs: it must say nothing about the value.
        return { id: crypto.randomUUID(), outs: { value: crypto.randomBytes(32).toString("hex") } };
    },
    async diff() {
        // Stable for the life of the component: nothing an input could change.
        return { changes: false };
    },
    async update(_id, olds) {
        return { outs: olds };
    },
};
