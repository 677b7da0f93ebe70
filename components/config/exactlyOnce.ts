/**
 * Exactly-once source support (KIP-618): the cluster-wide mode and what it means for the connectors' own
 * `exactly.once.support`. Pure checks over plain values; the move between modes across `up`s is checked by the
 * ExactlyOnceGuard dynamic resource (provider/exactlyOnceGuardProvider.ts), which sees the previous mode.
 */
import { connectClusterError } from "../errors";
import type { ExactlyOnceSourceSupport } from "../render/workerProperties";
import { DEFAULTS } from "./defaults";

export const EXACTLY_ONCE_MODES: readonly ExactlyOnceSourceSupport[] = ["disabled", "preparing", "enabled"];

/** The connector config key that makes Connect refuse a source connector it cannot run exactly once. */
export const CONNECTOR_EXACTLY_ONCE_KEY = "exactly.once.support";

/** Applies the default and checks the value: one of EXACTLY_ONCE_MODES. */
export function resolveExactlyOnceSourceSupport(value: string | undefined): ExactlyOnceSourceSupport {
    const mode = value ?? DEFAULTS.exactlyOnceSourceSupport;
    if (!(EXACTLY_ONCE_MODES as readonly string[]).includes(mode)) {
        throw connectClusterError(
            "invalid-input",
            `exactlyOnceSourceSupport must be "disabled", "preparing" or "enabled" (got ${JSON.stringify(mode)}).`,
            { field: "exactlyOnceSourceSupport" },
        );
    }
    return mode as ExactlyOnceSourceSupport;
}

/**
 * A connector declaring `exactly.once.support: "required"` needs the workers at "enabled": with "disabled" or
 * "preparing", Connect ignores the key and the connector would run at least once without saying so.
 */
export function validateConnectorsExactlyOnce(
    mode: ExactlyOnceSourceSupport,
    connectors: readonly { readonly name: string; readonly config: Readonly<Record<string, string>> }[],
): void {
    for (const connector of connectors) {
        const wanted = connector.config[CONNECTOR_EXACTLY_ONCE_KEY];
        if (wanted === undefined) {
            continue;
        }
        if (wanted !== "required" && wanted !== "requested") {
            throw connectClusterError(
                "invalid-input",
                `connectors["${connector.name}"].config["${CONNECTOR_EXACTLY_ONCE_KEY}"] must be "requested" or ` +
                    `"required" (got ${JSON.stringify(wanted)}).`,
                { field: `connectors["${connector.name}"].config["${CONNECTOR_EXACTLY_ONCE_KEY}"]` },
            );
        }
        if (wanted === "required" && mode !== "enabled") {
            throw connectClusterError(
                "invalid-input",
                `connectors["${connector.name}"].config["${CONNECTOR_EXACTLY_ONCE_KEY}"] is "required" but ` +
                    `exactlyOnceSourceSupport is "${mode}": Connect ignores the key unless the workers run with ` +
                    `"enabled". Set exactlyOnceSourceSupport to "enabled" (on a running cluster, after an up with ` +
                    `"preparing"), or remove the key.`,
                { field: `connectors["${connector.name}"].config["${CONNECTOR_EXACTLY_ONCE_KEY}"]` },
            );
        }
    }
}
