/**
 * ConnectCluster's connectors: one dynamic-provider Connector per connector, registered over the REST API
 * once the workers and their Service exist.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectClusterArgs } from "./args";
import { Connector } from "../provider/connector";
import { secretRedaction } from "../provider/failures";
import { declaredConnectorArgs } from "./connectorInputs";
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
    salt: pulumi.Output<string>,
): { connectors: Record<string, Connector>; unmanaged: UnmanagedReport } {
    const access = restAccessFor(args.restAccess, args.restAuth, inputs.config, workers.service.metadata.name);
    const readyTimeoutMs = inputs.config.apply((c) => c.connectorReadyTimeoutSeconds * 1000);
    const connectors: Record<string, Connector> = {};
    for (const connector of plain.connectors) {
        connectors[connector.name] = new Connector(
            `${name}-${connector.name}`,
            {
                ...declaredConnectorArgs(connector),
                secretsDigest: connector.secretsDigest,
                // Keyed digests only: the provider finds the values in failure traces without ever holding them.
                secretRedaction:
                    connector.secretConfig === undefined
                        ? undefined
                        : pulumi
                              .all([connector.secretConfig, salt])
                              .apply(([values, key]) => secretRedaction(Object.values(values), key)),
                access,
                readyTimeoutMs,
                kafkaBootstrap: inputs.config.apply((c) => c.worker.bootstrapServers),
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

/** One connector's state as the stack outputs show it. */
export interface ConnectorStatusOutput {
    readonly state: string;
    readonly workerId: string;
    /** The connector's last failure, when it FAILED: first lines of its trace, secret values redacted. */
    readonly lastFailure?: string;
    readonly tasks: { readonly id: number; readonly state: string; readonly workerId: string; lastFailure?: string }[];
}

/** Every connector's and task's state, worker and last failure, by connector name. */
export function connectorStatuses(
    connectors: readonly Connector[],
): pulumi.Output<Record<string, ConnectorStatusOutput>> {
    return pulumi
        .all(connectors.map((c) => pulumi.all([c.name, c.connectorState, c.workerId, c.connectorTrace, c.tasks])))
        .apply((rows) =>
            Object.fromEntries(
                rows.map(([name, state, workerId, trace, tasks]) => [
                    name,
                    {
                        state,
                        workerId,
                        ...(trace ? { lastFailure: trace } : {}),
                        tasks: (tasks ?? []).map((task) => ({
                            id: task.id,
                            state: task.state,
                            workerId: task.workerId,
                            ...(task.trace ? { lastFailure: task.trace } : {}),
                        })),
                    },
                ]),
            ),
        );
}
