/**
 * ConnectorSet: connectors on a Connect cluster this program does not own — one declared by another stack
 * (through a StackReference to its ConnectCluster's `restAccess` output), or any Connect REST URL (a cluster run
 * by Strimzi, by hand). It registers, updates and deletes only its own connectors, with the same dynamic
 * Connector resource, checks and lifecycle (state, restarts, offsets, adoption, renames) as ConnectCluster's.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectorArgs } from "./args";
import { basicAuthorization } from "../basicAuth";
import { DEFAULTS } from "../config/defaults";
import { connectClusterError } from "../errors";
import { Connector } from "../provider/connector";
import { RestAccess } from "../provider/connectorProvider";
import { declaredConnectorArgs, prepareConnectors } from "./connectorInputs";
import { ConnectorStatusOutput, connectorStatuses } from "./connectors";

export const CONNECTOR_SET_TYPE = "connectcluster:index:ConnectorSet";

export interface ConnectorSetArgs {
    /**
     * How `pulumi up` reaches the Connect REST API: a ConnectCluster's `restAccess` output (from a StackReference:
     * `ref.requireOutput("connectRestAccess")`), or `connectRestAccess({ url, username?, password? })` for any
     * Connect cluster. Stored as a secret. Required.
     */
    readonly restAccess: pulumi.Input<RestAccess>;
    /**
     * The connectors this set owns, as ConnectCluster's `connectors` (name, config, state, previousName +
     * onRename, deleteOffsetsOnDelete). Not `secretConfig`: its values are mounted into the workers by the
     * cluster's owner; use a config provider of that cluster instead. Default: `[]`.
     */
    readonly connectors?: ConnectorArgs[];
    /**
     * Seconds to wait for a connector and all its tasks to be RUNNING after a change; also bounds retries of
     * transient REST failures. Default: `300`.
     */
    readonly connectorReadyTimeoutSeconds?: pulumi.Input<number>;
}

/** REST access to any Connect cluster by URL, with optional basic auth; a secret. */
export function connectRestAccess(args: {
    /** Base URL of the Connect REST API. Required. */
    readonly url: pulumi.Input<string>;
    /** Basic-auth user. Default: none. */
    readonly username?: pulumi.Input<string>;
    /** Basic-auth password; wrap it in `pulumi.secret`. Default: none. */
    readonly password?: pulumi.Input<string>;
    /** PEM CA bundle for an https URL. Default: the system trust store. */
    readonly caCertificatePem?: pulumi.Input<string>;
}): pulumi.Output<RestAccess> {
    if ((args.username === undefined) !== (args.password === undefined)) {
        throw connectClusterError("invalid-input", `connectRestAccess: give both username and password.`);
    }
    return pulumi.secret(
        pulumi
            .all([args.url, args.username, args.password, args.caCertificatePem])
            .apply(([url, username, password, ca]): RestAccess => {
                const headers: Record<string, string> =
                    username === undefined ? {} : { Authorization: basicAuthorization(username, password!) };
                return { url: { baseUrl: url, headers, ...(ca === undefined ? {} : { caCertificatePem: ca }) } };
            }),
    );
}

export class ConnectorSet extends pulumi.ComponentResource {
    /** Names of this set's connectors. */
    public readonly connectorNames: pulumi.Output<string[]>;
    /** Each connector's state (RUNNING, ...) as of the last `up` or `refresh`. */
    public readonly connectorStates: pulumi.Output<Record<string, string>>;
    /** Each connector's and task's state, worker and last failure, as ConnectCluster's `connectorStatuses`. */
    public readonly connectorStatuses: pulumi.Output<Record<string, ConnectorStatusOutput>>;
    public readonly connectors: Record<string, Connector>;

    constructor(name: string, args: ConnectorSetArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(CONNECTOR_SET_TYPE, name, {}, opts);
        const declared = args.connectors ?? [...DEFAULTS.connectors];
        const withSecrets = declared.find((c) => c.secretConfig !== undefined);
        if (withSecrets !== undefined) {
            throw connectClusterError(
                "invalid-input",
                `ConnectorSet connector "${withSecrets.name}": secretConfig needs the cluster's workers to mount ` +
                    `its values; declare the connector in the cluster's own ConnectCluster, or refer to a config ` +
                    `provider of that cluster in config.`,
            );
        }
        const prepared = prepareConnectors(declared, DEFAULTS.connectorSecretsDir);
        const access = pulumi.secret(pulumi.output(args.restAccess));
        const readyTimeoutMs = pulumi
            .output(args.connectorReadyTimeoutSeconds ?? DEFAULTS.connectorReadyTimeoutSeconds)
            .apply((seconds) => {
                if (!Number.isInteger(seconds) || seconds < 1) {
                    throw connectClusterError(
                        "invalid-input",
                        `connectorReadyTimeoutSeconds must be a whole number ≥ 1 (got ${seconds}).`,
                        { field: "connectorReadyTimeoutSeconds" },
                    );
                }
                return seconds * 1000;
            });
        this.connectors = {};
        for (const connector of prepared) {
            this.connectors[connector.name] = new Connector(
                `${name}-${connector.name}`,
                {
                    ...declaredConnectorArgs(connector),
                    access,
                    readyTimeoutMs,
                },
                {
                    parent: this,
                    aliases: connector.rename ? [{ name: `${name}-${connector.rename.from}` }] : undefined,
                },
            );
        }
        this.connectorNames = pulumi.output(prepared.map((c) => c.name));
        this.connectorStates = pulumi
            .all(Object.values(this.connectors).map((c) => pulumi.all([c.name, c.connectorState])))
            .apply((pairs) => Object.fromEntries(pairs) as Record<string, string>);
        this.connectorStatuses = connectorStatuses(Object.values(this.connectors));
        this.registerOutputs({
            connectorNames: this.connectorNames,
            connectorStates: this.connectorStates,
            connectorStatuses: this.connectorStatuses,
        });
    }
}
