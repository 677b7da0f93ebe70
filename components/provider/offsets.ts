/**
 * Offsets as code (KIP-875, Kafka 3.6+), in terms of REST calls: create a connector STOPPED and write its declared
 * offsets before it runs a task; rewind an existing one (stop, reset or set, back to its declared state); read the
 * current offsets into the outputs. Connect alters offsets only for a STOPPED connector, and a sink's only once its
 * tasks have left the consumer group: the REST layer retries that condition (restErrors.ts).
 */
import { ConnectorInputs, ConnectorOutputs, DeclaredOffsets } from "./connectorTypes";
import { connectClusterError, isConnectClusterError, withMessage } from "../errors";
import { ConnectorOffset, ConnectRestClient } from "../rest/restClient";
import { PROVIDER_DEFAULTS } from "../rest/providerDefaults";
import {
    clientFor,
    declaredState,
    requestState,
    validateWithConnect,
    waitForDeclaredState,
    withStatus,
} from "./connectorOperations";
import { invalidateSnapshot } from "./snapshotCache";

/**
 * Creates the connector STOPPED (`initial_state`), writes its declared offsets, then moves it to its declared
 * state: no task ever runs from another position. Deleted again when any step fails.
 */
export async function createWithOffsets(
    inputs: ConnectorInputs & { readonly offsets: DeclaredOffsets },
): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    await validateWithConnect(client, inputs);
    invalidateSnapshot(client);
    await client.createConnector(inputs.name, inputs.config, "STOPPED");
    try {
        await client.waitForState(inputs.name, "STOPPED", inputs.readyTimeoutMs);
        await writeOffsets(client, inputs.name, inputs.offsets);
        return withCurrentOffsets(client, await backToDeclaredState(inputs));
    } catch (error) {
        const undone = await client.deleteConnector(inputs.name).then(
            () => "the new connector was deleted again",
            () => "undoing the change failed too; run `pulumi refresh`",
        );
        throw withMessage(error, `${(error as Error).message}\n(${undone})`);
    }
}

/**
 * Stops the connector, waits until it is STOPPED with no task, and resets or sets its offsets. The caller moves it
 * back to its declared state. When writing fails, the connector is moved back to its declared state here, with its
 * offsets unchanged, and the error says so.
 */
export async function rewind(inputs: ConnectorInputs & { readonly offsets: DeclaredOffsets }): Promise<void> {
    const client = clientFor(inputs);
    invalidateSnapshot(client);
    await client.stopConnector(inputs.name);
    try {
        await client.waitForState(inputs.name, "STOPPED", inputs.readyTimeoutMs);
        await writeOffsets(client, inputs.name, inputs.offsets);
    } catch (error) {
        const undone = await requestState(client, inputs).then(
            () => `its offsets were not changed and it was put back ${declaredState(inputs)}`,
            () => "moving it back to its declared state failed too; run `pulumi refresh`",
        );
        throw withMessage(error, `${(error as Error).message}\n(${undone})`);
    }
}

/**
 * After `rewind`: the connector is STOPPED; moves it to its declared state (no call when that is stopped) and waits.
 */
export async function backToDeclaredState(inputs: ConnectorInputs): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    if (declaredState(inputs) !== "stopped") {
        await requestState(client, inputs);
    }
    return withStatus(inputs, await waitForDeclaredState(client, inputs, PROVIDER_DEFAULTS.runningStableMs));
}

/** `outputs` with the connector's current offsets when its inputs ask for them (`readOffsets`). */
export async function withCurrentOffsets(
    client: ConnectRestClient,
    outputs: ConnectorOutputs,
): Promise<ConnectorOutputs> {
    if (outputs.readOffsets !== true) {
        const { currentOffsets: _dropped, ...rest } = outputs;
        return rest;
    }
    return {
        ...outputs,
        currentOffsets: sortedOffsets(await offsetsCall(outputs.name, () => client.getOffsets(outputs.name))),
    };
}

/** DELETE for a reset, PATCH for a set; a Connect without the offsets endpoint gets a clear error. */
async function writeOffsets(client: ConnectRestClient, name: string, declared: DeclaredOffsets): Promise<void> {
    invalidateSnapshot(client);
    await offsetsCall(name, () =>
        "reset" in declared ? client.resetOffsets(name) : client.alterOffsets(name, declared.set),
    );
}

/**
 * Runs an offsets call on a connector known to exist: a 404 or 405 there means the endpoint is missing (Kafka
 * before 3.6), not the connector.
 */
async function offsetsCall<T>(name: string, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        if (isConnectClusterError(error) && (error.status === 404 || error.status === 405)) {
            throw connectClusterError(
                "bad-request",
                `connector "${name}": this Kafka Connect has no offsets endpoint (${error.message}); offsets and ` +
                    `readOffsets need Kafka Connect 3.6 or newer (KIP-875).`,
                { field: `connectors["${name}"].offsets`, status: error.status },
            );
        }
        throw error;
    }
}

/** Offsets in a stable order (by partition), so outputs do not change when Connect lists them differently. */
function sortedOffsets(offsets: readonly ConnectorOffset[]): ConnectorOffset[] {
    const key = (offset: ConnectorOffset) => JSON.stringify(Object.entries(offset.partition).sort());
    return [...offsets].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
