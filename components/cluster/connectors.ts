/**
 * ConnectCluster's connectors: one dynamic-provider Connector per connector, registered over the REST API
 * once the workers and their Service exist.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectClusterArgs } from "./args";
import { Connector } from "../provider/connector";
import { PlainInputs, ResolvedInputs } from "./inputs";
import { restAccessFor } from "./restAccess";
import { declareUnmanagedReport } from "./unmanaged";
import { UnmanagedReport } from "./unmanagedReport";
import { ClusterWorkload } from "./workload";

export function declareConnectors(
    name: string,
    parent: pulumi.ComponentResource,
    args: ConnectClusterArgs,
    plain: PlainInputs,
    inputs: ResolvedInputs,
    workers: ClusterWorkload,
): { connectors: Record<string, Connector>; unmanaged: UnmanagedReport } {
    const access = restAccessFor(args.restAccess, args.restAuth, inputs.config, workers.service.metadata.name);
    const readyTimeoutMs = inputs.config.apply((c) => c.connectorReadyTimeoutSeconds * 1000);
    const connectors: Record<string, Connector> = {};
    for (const connector of plain.connectors) {
        connectors[connector.name] = new Connector(
            `${name}-${connector.name}`,
            {
                name: connector.name,
                config: connector.config,
                secretsDigest: connector.secretsDigest,
                rename: connector.rename,
                deleteOffsetsOnDelete: connector.deleteOffsetsOnDelete,
                adopt: connector.adopt,
                state: connector.state,
                offsets: connector.offsets,
                readOffsets: connector.readOffsets,
                access,
                readyTimeoutMs,
            },
            {
                parent,
                dependsOn: [workers.deployment, workers.service],
                // A rename keeps the resource (and so becomes a replacement the provider can carry offsets over).
                aliases: connector.rename ? [{ name: `${name}-${connector.rename.from}` }] : undefined,
            },
        );
    }
    const unmanaged = declareUnmanagedReport(name, parent, args, plain, access, readyTimeoutMs, connectors);
    return { connectors, unmanaged };
}
