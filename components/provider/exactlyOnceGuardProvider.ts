/**
 * The dynamic provider of ExactlyOnceGuard: it keeps the cluster's last applied `exactlyOnceSourceSupport` in the
 * stack's state, so `check` (run at preview, before any worker changes) sees the previous mode beside the new one
 * and refuses "disabled" → "enabled" on a cluster that exists: Kafka requires a rolling step at "preparing" first.
 * Its code is serialized into the stack state: it imports nothing.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface ExactlyOnceGuardInputs {
    /** "disabled", "preparing" or "enabled" (checked by the component before it gets here). */
    readonly mode: string;
}

/** Why moving from `previous` (undefined: a new cluster) to `next` is unsafe, or undefined when it is safe. */
export function exactlyOnceTransitionProblem(previous: string | undefined, next: string): string | undefined {
    if (previous === "disabled" && next === "enabled") {
        return (
            `exactlyOnceSourceSupport: "disabled" → "enabled" on a running cluster is refused: Kafka requires two ` +
            `rolling steps. Run \`pulumi up\` with "preparing" first (every worker then fences old task ` +
            `generations), then with "enabled".`
        );
    }
    return undefined;
}

export const exactlyOnceGuardProvider: pulumi.dynamic.ResourceProvider<ExactlyOnceGuardInputs, ExactlyOnceGuardInputs> =
    {
        async check(olds, news) {
            // olds are the last applied inputs; empty when the guard is new (a new cluster, or one from before the
            // guard existed: README says what to do then).
            const problem = exactlyOnceTransitionProblem(olds?.mode, news.mode);
            return problem === undefined ? { inputs: news } : { failures: [{ property: "mode", reason: problem }] };
        },
        async create(inputs) {
            return { id: "exactly-once-guard", outs: { mode: inputs.mode } };
        },
        async diff(_id, olds, news) {
            return { changes: olds.mode !== news.mode };
        },
        async update(_id, _olds, news) {
            return { outs: { mode: news.mode } };
        },
    };
