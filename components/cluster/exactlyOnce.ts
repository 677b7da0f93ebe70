/**
 * ConnectCluster's exactly-once guard: a dynamic resource holding the mode of the last `up`, declared before the
 * workers' Secret and Deployment so that a refused move (see provider/exactlyOnceGuardProvider.ts) changes nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ExactlyOnceGuard } from "../provider/exactlyOnceGuard";
import { ResolvedInputs } from "./inputs";

export function declareExactlyOnceGuard(
    name: string,
    parent: pulumi.ComponentResource,
    inputs: ResolvedInputs,
): ExactlyOnceGuard {
    return new ExactlyOnceGuard(
        `${name}-exactly-once`,
        { mode: inputs.config.apply((c) => c.worker.exactlyOnceSourceSupport) },
        { parent },
    );
}
