/**
 * The Pulumi dynamic provider for one connector: a thin adapter from Pulumi's
 * check/diff/create/read/update/delete to the REST client. Its code is serialized into the stack
 * state, so it captures nothing but the modules it calls; credentials arrive as (secret) inputs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { changedConfigKeys, ConnectorConfig, configFromConnect, normalizeConnectorConfig, validateConnectorConfig, validateConnectorName } from "./connectorConfig";
import { KubernetesProxyAccess, kubernetesProxyTarget } from "./kubeProxy";
import { ConnectorStatus, ConnectRestClient, DEFAULT_RETRY_POLICY, RestTarget } from "./restClient";

/** How the provider reaches the REST API; travels as a secret input. */
export type RestAccess = { readonly url: RestTarget } | { readonly kubernetesServiceProxy: KubernetesProxyAccess };

/** Resolved inputs of a connector resource. */
export interface ConnectorInputs {
    readonly name: string;
    readonly config: ConnectorConfig;
    readonly access: RestAccess;
    /** Bound on waiting for RUNNING, and on retrying transient REST failures. */
    readonly readyTimeoutMs: number;
}

export interface TaskStateOutput {
    readonly id: number;
    readonly state: string;
    readonly workerId: string;
}

/** Outputs: the inputs plus what Connect reports. */
export interface ConnectorOutputs extends ConnectorInputs {
    readonly connectorState: string;
    readonly workerId: string;
    readonly tasks: TaskStateOutput[];
}

/** Makes a client for the inputs' target, with the retry deadline bounded by the ready timeout. */
export function clientFor(inputs: Pick<ConnectorInputs, "access" | "readyTimeoutMs">): ConnectRestClient {
    const target = "url" in inputs.access ? inputs.access.url : kubernetesProxyTarget(inputs.access.kubernetesServiceProxy);
    return new ConnectRestClient(target, { ...DEFAULT_RETRY_POLICY, deadlineMs: Math.min(DEFAULT_RETRY_POLICY.deadlineMs, inputs.readyTimeoutMs) });
}

function withStatus(inputs: ConnectorInputs, status: ConnectorStatus | undefined): ConnectorOutputs {
    return {
        name: inputs.name,
        config: inputs.config,
        access: inputs.access,
        readyTimeoutMs: inputs.readyTimeoutMs,
        connectorState: status?.connector.state ?? "UNKNOWN",
        workerId: status?.connector.worker_id ?? "",
        tasks: (status?.tasks ?? []).map((task) => ({ id: task.id, state: task.state, workerId: task.worker_id })),
    };
}

/** PUTs the config and waits for RUNNING; on failure restores `previous` (or deletes a new connector). */
async function apply(inputs: ConnectorInputs, previous: ConnectorConfig | undefined): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    await client.putConnectorConfig(inputs.name, inputs.config);
    try {
        return withStatus(inputs, await client.waitUntilRunning(inputs.name, { timeoutMs: inputs.readyTimeoutMs }));
    } catch (error) {
        const undo = previous === undefined ? client.deleteConnector(inputs.name) : client.putConnectorConfig(inputs.name, previous);
        const undone = await undo.then(
            () => (previous === undefined ? "the new connector was deleted again" : "its previous config was restored"),
            () => "undoing the change failed too; run `pulumi refresh`",
        );
        throw new Error(`${(error as Error).message}\n(${undone})`);
    }
}

export const connectorProvider: pulumi.dynamic.ResourceProvider<ConnectorInputs, ConnectorOutputs> = {
    async check(_olds, news) {
        try {
            validateConnectorName(news.name);
            const config = normalizeConnectorConfig(news.name, news.config);
            validateConnectorConfig(news.name, config);
            return { inputs: { ...news, config } };
        } catch (error) {
            return { failures: [{ property: "config", reason: (error as Error).message }] };
        }
    },

    async diff(_id, olds, news) {
        const replaces = olds.name !== news.name ? ["name"] : [];
        const changed = changedConfigKeys(olds.config, news.config);
        return { changes: replaces.length > 0 || changed.length > 0, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
        const existing = await clientFor(inputs).getConnectorConfig(inputs.name);
        if (existing !== undefined && changedConfigKeys(configFromConnect(inputs.name, existing), inputs.config).length > 0) {
            throw new Error(
                `connector "${inputs.name}" already exists in the Connect cluster with a different config, and this stack did not create it; ` +
                    `delete it (DELETE /connectors/${inputs.name}) or choose another name.`,
            );
        }
        return { id: inputs.name, outs: await apply(inputs, undefined) };
    },

    async read(id, props) {
        if (props === undefined) {
            return {};
        }
        const client = clientFor(props);
        const stored = await client.getConnectorConfig(id);
        if (stored === undefined) {
            return {};
        }
        const current: ConnectorInputs = { name: id, config: configFromConnect(id, stored), access: props.access, readyTimeoutMs: props.readyTimeoutMs };
        // The cluster's view becomes both state and inputs, so the next preview shows drift as a diff.
        const observed = withStatus(current, await client.getConnectorStatus(id));
        return { id, props: observed, inputs: observed };
    },

    async update(_id, olds, news) {
        return { outs: await apply(news, olds.config) };
    },

    async delete(id, props) {
        await clientFor(props).deleteConnector(id);
    },
};
