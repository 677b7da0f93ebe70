/**
 * ConnectCluster's report of connectors in its Connect cluster that no declaration covers: one UnmanagedReport
 * resource, registered after the connectors, that lists the cluster once per run and never writes to it.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectClusterArgs } from "./args";
import { connectClusterError } from "../errors";
import { DEFAULTS } from "../config/defaults";
import { Connector } from "../provider/connector";
import { RestAccess } from "../provider/connectorTypes";
import { UnmanagedReport } from "./unmanagedReport";
import { PlainInputs } from "./inputs";

/** Checks `ignoreUnmanagedConnectors`: names, or prefixes with one `*` at the end. */
export function validateIgnorePatterns(patterns: readonly string[]): string[] {
    patterns.forEach((pattern, index) => {
        if (typeof pattern !== "string" || pattern.length === 0 || pattern.slice(0, -1).includes("*")) {
            throw connectClusterError(
                "invalid-input",
                `ignoreUnmanagedConnectors[${index}] is ${JSON.stringify(pattern)}: give a connector name, or a ` +
                    `prefix followed by one "*" at the end (e.g. "team-b-*").`,
                { field: `ignoreUnmanagedConnectors[${index}]` },
            );
        }
    });
    return [...patterns];
}

export function declareUnmanagedReport(
    name: string,
    parent: pulumi.ComponentResource,
    args: ConnectClusterArgs,
    plain: PlainInputs,
    access: pulumi.Output<RestAccess>,
    readyTimeoutMs: pulumi.Output<number>,
    connectors: Record<string, Connector>,
): UnmanagedReport {
    const declared = plain.connectors.flatMap((connector) =>
        connector.rename === undefined ? [connector.name] : [connector.name, connector.rename.from],
    );
    return new UnmanagedReport(
        `${name}-unmanaged-connectors`,
        {
            access,
            readyTimeoutMs,
            declared,
            ignore: validateIgnorePatterns(args.ignoreUnmanagedConnectors ?? [...DEFAULTS.ignoreUnmanagedConnectors]),
        },
        // After the connectors: a connector this run creates is listed as the declared one it is.
        { parent, dependsOn: Object.values(connectors) },
    );
}
