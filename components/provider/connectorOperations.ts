/**
 * What the connector provider does, in terms of REST calls: validate, apply and wait, rename with
 * offsets, delete with or without offsets. Every write is undone when the change cannot complete.
 */
import { ConnectorConfig } from "./connectorConfig";
import { ConnectorInputs, ConnectorOutputs, DesiredState } from "./connectorTypes";
import { kubernetesProxyTarget } from "../rest/kubeProxy";
import { connectClusterError, withMessage } from "../errors";
import { ConnectorStatus, ConnectRestClient, DEFAULT_RETRY_POLICY } from "../rest/restClient";
import { PROVIDER_DEFAULTS } from "../rest/providerDefaults";
import { providerProgress } from "./progress";
import { invalidateSnapshot } from "./snapshotCache";
import { shortTrace } from "./failures";
import { processShared } from "../rest/processShared";

/** How long a preview waits for the REST API before validating at apply instead. */
export const PREVIEW_VALIDATION_DEADLINE_MS = PROVIDER_DEFAULTS.previewValidationDeadlineMs;
/** How long a connector must stay RUNNING after a change before `up` calls it done. */
const RUNNING_STABLE_MS = PROVIDER_DEFAULTS.runningStableMs;

/** Makes a client for the inputs' target, with the retry deadline bounded by the ready timeout. */
export function clientFor(
    inputs: Pick<ConnectorInputs, "access" | "readyTimeoutMs" | "kafkaBootstrap">,
    deadlineMs = inputs.readyTimeoutMs,
): ConnectRestClient {
    const retry = { ...DEFAULT_RETRY_POLICY, deadlineMs: Math.min(DEFAULT_RETRY_POLICY.deadlineMs, deadlineMs) };
    if ("url" in inputs.access) {
        return new ConnectRestClient(inputs.access.url, retry, undefined, providerProgress(), inputs.kafkaBootstrap);
    }
    // The kubeconfig's credential is asked for per request; an exec plugin's is cached until it expires.
    const proxy = kubernetesProxyTarget(inputs.access.kubernetesServiceProxy);
    return new ConnectRestClient(proxy.target, retry, proxy.credentials, providerProgress(), inputs.kafkaBootstrap);
}

/**
 * Sends the config to Connect's validate endpoint; throws with every per-key message when it is
 * invalid, and warns about PASSWORD-type keys given in plain config instead of secretConfig.
 */
export async function validateWithConnect(client: ConnectRestClient, inputs: ConnectorInputs): Promise<void> {
    // check() and then create()/update() of one `up` run in the same process: validate once.
    const key = `${client.target.baseUrl} ${inputs.name} ${JSON.stringify(inputs.config)}`;
    const validated = validatedConfigs();
    if ((validated.get(key) ?? 0) > Date.now() - VALIDATION_REUSE_MS) {
        return;
    }
    const result = await client.validateConfig(inputs.name, inputs.config);
    if (result.errorCount > 0) {
        const lines = Object.entries(result.errors).map(([key, messages]) => `  ${key}: ${messages.join(" ")}`);
        throw connectClusterError(
            "bad-request",
            `connector "${inputs.name}": Kafka Connect rejected the config (${result.errorCount} ` +
                `error(s)):\n${lines.join("\n")}`,
            { field: `connectors["${inputs.name}"].config`, status: 400 },
        );
    }
    for (const passwordKey of plaintextPasswordKeys(inputs.config, result.passwordKeys)) {
        warnOnce(
            `connector "${inputs.name}": "${passwordKey}" is a PASSWORD setting in Kafka Connect but is given in ` +
                `plain config; ` +
                `move it to secretConfig so its value stays out of Connect's config topic, its REST API and ` +
                `Pulumi diffs.`,
        );
    }
    validated.set(key, Date.now());
}

/** How long a successful validation of the same config serves a later write in the same process. */
const VALIDATION_REUSE_MS = PROVIDER_DEFAULTS.validationReuseMs;

/** Forgets earlier validations (tests start each case from a fresh provider process's view). */
export function forgetValidations(): void {
    validatedConfigs().clear();
}

function validatedConfigs(): Map<string, number> {
    return processShared("validatedConfigs@1", () => new Map<string, number>());
}

/** PASSWORD-typed keys whose value is given directly rather than as a `${provider:...}` reference. */
export function plaintextPasswordKeys(config: ConnectorConfig, passwordKeys: readonly string[]): string[] {
    return passwordKeys.filter((key) => config[key] !== undefined && !/^\$\{[^}]+\}$/.test(config[key])).sort();
}

/** Dynamic providers can only print; print each distinct warning once per provider process. */
export function warnOnce(message: string): void {
    const seen = processShared("warnings@1", () => new Set<string>());
    if (!seen.has(message)) {
        seen.add(message);
        console.warn(`warning: ${message}`);
    }
}

/**
 * The outputs: every input (delete and read need them from state) plus what Connect reports. Unset
 * optional fields are left out: the engine's protobuf encoding rejects `undefined` ("Unexpected struct type").
 */
export function withStatus(inputs: ConnectorInputs, status: ConnectorStatus | undefined): ConnectorOutputs {
    // `restartFailed` is a request of one update (see check), never state.
    const defined = Object.fromEntries(
        Object.entries(inputs).filter(([key, value]) => value !== undefined && key !== "restartFailed"),
    ) as unknown as ConnectorInputs;
    const trace = (text: string | undefined) =>
        text === undefined ? {} : { trace: shortTrace(text, inputs.secretRedaction) };
    const connectorTrace = trace(status?.connector.trace).trace;
    return {
        ...defined,
        connectorState: status?.connector.state ?? "UNKNOWN",
        workerId: status?.connector.worker_id ?? "",
        tasks: (status?.tasks ?? []).map((task) => ({
            id: task.id,
            state: task.state,
            workerId: task.worker_id,
            ...trace(task.trace),
        })),
        ...(connectorTrace === undefined ? {} : { connectorTrace }),
    };
}

/**
 * Inputs Connect never sees that the provider itself uses on later calls (read, update, delete use the state's
 * copy): how to reach the REST API, the delete policy, the wait bound, the rename it was created with.
 */
const STATE_ONLY_INPUTS = ["access", "deleteOffsetsOnDelete", "readyTimeoutMs", "rename", "readOffsets"] as const;

/**
 * Which of the state-only inputs differ, compared as canonical JSON (key order ignored: the engine's copy
 * of the state and a freshly resolved input need not list object keys in the same order).
 */
export function changedStateOnlyInputs(olds: ConnectorInputs, news: ConnectorInputs): string[] {
    const canonical = (value: unknown): string | undefined =>
        JSON.stringify(value, (_key, inner: unknown) =>
            inner !== null && typeof inner === "object" && !Array.isArray(inner)
                ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
                : inner,
        );
    return STATE_ONLY_INPUTS.filter((key) => canonical(olds[key]) !== canonical(news[key]));
}

/**
 * The outputs after a change of state-only inputs: the new inputs with the status observed last. Nothing is
 * sent to Connect, whose connector is unchanged.
 */
export function withPreviousStatus(inputs: ConnectorInputs, previous: ConnectorOutputs): ConnectorOutputs {
    return {
        ...withStatus(inputs, undefined),
        connectorState: previous.connectorState ?? "UNKNOWN",
        workerId: previous.workerId ?? "",
        tasks: previous.tasks ?? [],
        ...(previous.connectorTrace === undefined ? {} : { connectorTrace: previous.connectorTrace }),
    };
}

/** The declared state; inputs from before `state` existed declare none and mean running. */
export function declaredState(inputs: Pick<ConnectorInputs, "state">): DesiredState {
    return inputs.state ?? PROVIDER_DEFAULTS.state;
}

/** Connect's name for a declared state (`initial_state`, status). */
export function connectStateOf(state: DesiredState): "RUNNING" | "PAUSED" | "STOPPED" {
    return state === "paused" ? "PAUSED" : state === "stopped" ? "STOPPED" : "RUNNING";
}

/**
 * The declared form of the state Connect reports, for `read`: RUNNING, PAUSED and STOPPED map back;
 * states nobody declares (FAILED, UNASSIGNED, RESTARTING) keep the declared one.
 */
export function observedState(connectState: string | undefined, declared: DesiredState): DesiredState {
    switch (connectState) {
        case "RUNNING":
            return "running";
        case "PAUSED":
            return "paused";
        case "STOPPED":
            return "stopped";
        default:
            return declared;
    }
}

/**
 * Asks Connect to move the connector to its declared state (`PUT /resume`, `/pause` or `/stop`). A FAILED
 * connector or task cannot be paused (its tasks never report PAUSED): that fails at once, naming the fix.
 */
export async function requestState(client: ConnectRestClient, inputs: ConnectorInputs): Promise<void> {
    const state = declaredState(inputs);
    invalidateSnapshot(client);
    if (state === "running") {
        return client.resumeConnector(inputs.name);
    }
    if (state === "stopped") {
        return client.stopConnector(inputs.name);
    }
    const status = await client.getConnectorStatus(inputs.name);
    const failed = status === undefined ? [] : [status.connector, ...status.tasks].filter((u) => u.state === "FAILED");
    if (failed.length > 0) {
        const which = failed.map((unit) => ("id" in unit ? `task ${unit.id}` : "the connector")).join(", ");
        throw connectClusterError(
            "failed",
            `connector "${inputs.name}" cannot be paused: ${which} FAILED, and a failed connector or task ` +
                `does not pause; restart it first (POST /connectors/${inputs.name}/restart?includeTasks=true&` +
                `onlyFailed=true), or declare state "stopped", which a failed connector can reach.`,
            { field: `connectors["${inputs.name}"].state` },
        );
    }
    return client.pauseConnector(inputs.name);
}

/**
 * Waits until the connector is in its declared state: running (connector and tasks RUNNING for
 * `stableForMs`), paused (connector and every task PAUSED) or stopped (STOPPED, no task left).
 */
export async function waitForDeclaredState(
    client: ConnectRestClient,
    inputs: ConnectorInputs,
    stableForMs: number,
): Promise<ConnectorStatus> {
    const state = declaredState(inputs);
    if (state === "running") {
        return client.waitUntilRunning(inputs.name, { timeoutMs: inputs.readyTimeoutMs, stableForMs });
    }
    return client.waitForState(inputs.name, connectStateOf(state), inputs.readyTimeoutMs);
}

/** Moves an existing connector to its declared state and waits for it; its config is not sent. */
export async function applyState(inputs: ConnectorInputs): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    await requestState(client, inputs);
    return withStatus(inputs, await waitForDeclaredState(client, inputs, RUNNING_STABLE_MS));
}

/**
 * Creates a new connector directly in its declared state (`POST /connectors` with `initial_state`,
 * Kafka 3.7+): a paused or stopped one never runs a task first. Deleted again when it does not get there.
 */
export async function createInState(inputs: ConnectorInputs): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    await validateWithConnect(client, inputs);
    invalidateSnapshot(client);
    await client.createConnector(inputs.name, inputs.config, connectStateOf(declaredState(inputs)));
    try {
        return withStatus(inputs, await waitForDeclaredState(client, inputs, 0));
    } catch (error) {
        const undone = await client.deleteConnector(inputs.name).then(
            () => "the new connector was deleted again",
            () => "undoing the change failed too; run `pulumi refresh`",
        );
        throw withMessage(error, `${(error as Error).message}\n(${undone})`);
    }
}

/**
 * PUTs the config, moves the connector to its declared state when `stateChanged` (a paused or stopped one
 * stays so through a config change), and waits for that state; on failure restores `previous` (or deletes
 * a new connector).
 */
export async function apply(
    inputs: ConnectorInputs,
    previous: ConnectorConfig | undefined,
    restart = false,
    stateChanged = false,
): Promise<ConnectorOutputs> {
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
        if (stateChanged) {
            await requestState(client, inputs);
        }
        // A new connector's first RUNNING status is its own; after an update it may still be the replaced tasks'.
        const stableForMs = previous === undefined && !restart ? 0 : RUNNING_STABLE_MS;
        return withStatus(inputs, await waitForDeclaredState(client, inputs, stableForMs));
    } catch (error) {
        const undo =
            previous === undefined
                ? client.deleteConnector(inputs.name)
                : client.putConnectorConfig(inputs.name, previous);
        const undone = await undo.then(
            () => (previous === undefined ? "the new connector was deleted again" : "its previous config was restored"),
            () => "undoing the change failed too; run `pulumi refresh`",
        );
        throw withMessage(error, `${(error as Error).message}\n(${undone})`);
    }
}

/**
 * Creates `inputs.name` in place of `inputs.rename.from` carrying over the old connector's committed
 * offsets (Kafka 3.7+): the new connector is created STOPPED, the old one is stopped (its tasks commit),
 * the offsets are copied, the new one resumed. The engine deletes the old one afterwards. Nothing runs
 * twice in between, and a failure deletes the new connector and resumes the old.
 */
export async function renameWithOffsets(inputs: ConnectorInputs, from: string): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    await validateWithConnect(client, inputs);
    if ((await client.getConnectorConfig(from)) === undefined) {
        throw connectClusterError(
            "not-found",
            `connector "${inputs.name}": onRename is "copy-offsets" but the previous connector "${from}" does not ` +
                `exist, so there are no offsets to copy; ` +
                `if the rename is already done, remove previousName and onRename.`,
            { field: `connectors["${inputs.name}"].previousName` },
        );
    }
    invalidateSnapshot(client);
    await client.createConnector(inputs.name, inputs.config, "STOPPED");
    try {
        await client.stopConnector(from);
        await client.waitForState(from, "STOPPED", inputs.readyTimeoutMs);
        const offsets = await client.getOffsets(from);
        if (offsets.length > 0) {
            await client.alterOffsets(inputs.name, offsets);
        }
        // Created STOPPED: a connector declared stopped stays so, the others move to their state.
        if (declaredState(inputs) !== "stopped") {
            await requestState(client, inputs);
        }
        return withStatus(inputs, await waitForDeclaredState(client, inputs, RUNNING_STABLE_MS));
    } catch (error) {
        const undone = await Promise.all([client.deleteConnector(inputs.name), client.resumeConnector(from)]).then(
            () => `"${inputs.name}" was deleted again and "${from}" resumed`,
            () => "undoing the rename failed too; run `pulumi refresh`",
        );
        throw withMessage(error, `${(error as Error).message}\n(${undone})`);
    }
}

/** Deletes the connector; with `deleteOffsets`, stops it first and deletes its offsets too. */
export async function deleteConnector(name: string, props: ConnectorInputs): Promise<void> {
    const client = clientFor(props);
    invalidateSnapshot(client);
    const deleteOffsets = props.deleteOffsetsOnDelete ?? PROVIDER_DEFAULTS.deleteOffsetsOnDelete;
    if (deleteOffsets && (await client.getConnectorConfig(name)) !== undefined) {
        await client.stopConnector(name);
        await client.waitForState(name, "STOPPED", props.readyTimeoutMs);
        await client.resetOffsets(name);
    }
    await client.deleteConnector(name);
}
