/**
 * The Pulumi dynamic provider for one connector: a thin adapter from Pulumi's
 * check/diff/create/read/update/delete to the REST client. Its code is serialized into the stack
 * state, so it captures nothing but the modules it calls; credentials arrive as (secret) inputs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { changedConfigKeys, ConnectorConfig, configFromConnect, normalizeConnectorConfig, validateConnectorConfig, validateConnectorName } from "./connectorConfig";
import { KubernetesProxyAccess, kubernetesProxyTarget } from "./kubeProxy";
import { ConnectorStatus, ConnectRestClient, ConnectRestError, DEFAULT_RETRY_POLICY, RestTarget } from "./restClient";
import { invalidateSnapshot, snapshotOf } from "./snapshotCache";

/** How the provider reaches the REST API; travels as a secret input. */
export type RestAccess = { readonly url: RestTarget } | { readonly kubernetesServiceProxy: KubernetesProxyAccess };

/** Resolved inputs of a connector resource. */
export interface ConnectorInputs {
    readonly name: string;
    readonly config: ConnectorConfig;
    readonly access: RestAccess;
    /** Digest of the connector's mounted secret values; a change means a restart. */
    readonly secretsDigest?: string;
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

/** How long a preview waits for the REST API before validating at apply instead. */
const PREVIEW_VALIDATION_DEADLINE_MS = 5_000;
/** How long a connector must stay RUNNING after a change before `up` calls it done. */
const RUNNING_STABLE_MS = 1_000;
/** Pulumi's marker for a value not known yet (during preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Makes a client for the inputs' target, with the retry deadline bounded by the ready timeout. */
export function clientFor(inputs: Pick<ConnectorInputs, "access" | "readyTimeoutMs">, deadlineMs = inputs.readyTimeoutMs): ConnectRestClient {
    const target = "url" in inputs.access ? inputs.access.url : kubernetesProxyTarget(inputs.access.kubernetesServiceProxy);
    return new ConnectRestClient(target, { ...DEFAULT_RETRY_POLICY, deadlineMs: Math.min(DEFAULT_RETRY_POLICY.deadlineMs, deadlineMs) });
}

/**
 * Sends the config to Connect's validate endpoint; throws with every per-key message when it is
 * invalid, and warns about PASSWORD-type keys given in plain config instead of secretConfig.
 */
export async function validateWithConnect(client: ConnectRestClient, inputs: ConnectorInputs): Promise<void> {
    const result = await client.validateConfig(inputs.name, inputs.config);
    if (result.errorCount > 0) {
        const lines = Object.entries(result.errors).map(([key, messages]) => `  ${key}: ${messages.join(" ")}`);
        throw new ConnectRestError("bad-request", `connector "${inputs.name}": Kafka Connect rejected the config (${result.errorCount} error(s)):\n${lines.join("\n")}`, 400);
    }
    for (const key of plaintextPasswordKeys(inputs.config, result.passwordKeys)) {
        warnOnce(
            `connector "${inputs.name}": "${key}" is a PASSWORD setting in Kafka Connect but is given in plain config; ` +
                `move it to secretConfig so its value stays out of Connect's config topic, its REST API and Pulumi diffs.`,
        );
    }
}

/** PASSWORD-typed keys whose value is given directly rather than as a `${provider:...}` reference. */
export function plaintextPasswordKeys(config: ConnectorConfig, passwordKeys: readonly string[]): string[] {
    return passwordKeys.filter((key) => config[key] !== undefined && !/^\$\{[^}]+\}$/.test(config[key])).sort();
}

/** Dynamic providers can only print; print each distinct warning once per provider process. */
function warnOnce(message: string): void {
    const holder = globalThis as unknown as { __connectClusterWarnings?: Set<string> };
    const seen = (holder.__connectClusterWarnings ??= new Set<string>());
    if (!seen.has(message)) {
        seen.add(message);
        console.warn(`warning: ${message}`);
    }
}

function withStatus(inputs: ConnectorInputs, status: ConnectorStatus | undefined): ConnectorOutputs {
    return {
        name: inputs.name,
        config: inputs.config,
        secretsDigest: inputs.secretsDigest,
        access: inputs.access,
        readyTimeoutMs: inputs.readyTimeoutMs,
        connectorState: status?.connector.state ?? "UNKNOWN",
        workerId: status?.connector.worker_id ?? "",
        tasks: (status?.tasks ?? []).map((task) => ({ id: task.id, state: task.state, workerId: task.worker_id })),
    };
}

/** PUTs the config and waits for RUNNING; on failure restores `previous` (or deletes a new connector). */
async function apply(inputs: ConnectorInputs, previous: ConnectorConfig | undefined, restart = false): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    // Nothing is written unless Connect accepts the config.
    await validateWithConnect(client, inputs);
    invalidateSnapshot(client);
    await client.putConnectorConfig(inputs.name, inputs.config);
    if (restart) {
        // Same config text, new secret values behind its references: only a restart re-reads them.
        await client.restartConnector(inputs.name, { includeTasks: true });
    }
    try {
        return withStatus(inputs, await client.waitUntilRunning(inputs.name, { timeoutMs: inputs.readyTimeoutMs, stableForMs: RUNNING_STABLE_MS }));
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
    async check(olds, news) {
        let checked: ConnectorInputs;
        try {
            validateConnectorName(news.name);
            const config = normalizeConnectorConfig(news.name, news.config);
            validateConnectorConfig(news.name, config);
            checked = { ...news, config };
        } catch (error) {
            return { failures: [{ property: "config", reason: (error as Error).message }] };
        }
        // New or changed configs are validated by Connect itself when it can be reached now (at preview);
        // otherwise create/update validate before writing. Unchanged ones cost no REST call.
        const changed = olds?.config === undefined || changedConfigKeys(olds.config, checked.config).length > 0;
        if (changed && !JSON.stringify(checked).includes(UNKNOWN)) {
            try {
                await validateWithConnect(clientFor(checked, PREVIEW_VALIDATION_DEADLINE_MS), checked);
            } catch (error) {
                if (error instanceof ConnectRestError && (error.kind === "bad-request" || error.kind === "not-found")) {
                    return { failures: [{ property: "config", reason: error.message }] };
                }
                warnOnce(`the Kafka Connect REST API cannot be reached now (${(error as Error).message.split("\n")[0]}); connector configs are validated when they are applied instead.`);
            }
        }
        return { inputs: checked };
    },

    async diff(_id, olds, news) {
        const replaces = olds.name !== news.name ? ["name"] : [];
        const changed = changedConfigKeys(olds.config, news.config);
        const secretsChanged = olds.secretsDigest !== news.secretsDigest;
        return { changes: replaces.length > 0 || changed.length > 0 || secretsChanged, replaces, deleteBeforeReplace: false };
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
        const snapshot = await snapshotOf(clientFor(props), id);
        if (snapshot === undefined) {
            return {};
        }
        const current: ConnectorInputs = {
            name: id,
            config: configFromConnect(id, snapshot.config),
            secretsDigest: props.secretsDigest,
            access: props.access,
            readyTimeoutMs: props.readyTimeoutMs,
        };
        // The cluster's view becomes both state and inputs, so the next preview shows drift as a diff.
        const observed = withStatus(current, snapshot.status);
        return { id, props: observed, inputs: observed };
    },

    async update(_id, olds, news) {
        const onlySecretsChanged = olds.secretsDigest !== news.secretsDigest && changedConfigKeys(olds.config, news.config).length === 0;
        return { outs: await apply(news, olds.config, onlySecretsChanged) };
    },

    async delete(id, props) {
        const client = clientFor(props);
        invalidateSnapshot(client);
        await client.deleteConnector(id);
    },
};
