/**
 * Adoption: a connector declared with `adopt: true` that already exists in the Connect cluster (created by hand,
 * by a script, by another tool) is taken over on create instead of failing. Its config is written only when it
 * differs from the declared one (Connect then restarts it with the new config); when equal nothing is written and
 * the connector is not restarted. Either way it is then moved to its declared state. From then on the stack owns
 * it: a later destroy deletes it, like any connector the stack created.
 */
import { ConnectorConfig, changedConfigKeys, configFromConnect } from "./connectorConfig";
import {
    apply,
    applyState,
    clientFor,
    connectStateOf,
    declaredState,
    waitForDeclaredState,
    withStatus,
} from "./connectorOperations";
import { ConnectorInputs, ConnectorOutputs } from "./connectorTypes";

/** What adopting the connector found `existing` (as Connect returns it) needs: a config write, a state change. */
export function adoptionPlan(
    inputs: ConnectorInputs,
    existing: Record<string, string>,
    connectState: string | undefined,
): { readonly writeConfig: boolean; readonly changeState: boolean; readonly found: ConnectorConfig } {
    const found = configFromConnect(inputs.name, existing);
    return {
        writeConfig: changedConfigKeys(found, inputs.config).length > 0,
        changeState: connectState !== connectStateOf(declaredState(inputs)),
        found,
    };
}

/**
 * Takes over the existing connector: PUTs the declared config only when it differs (restoring the found config
 * when the connector then does not reach its state), requests the declared state only when it is not already in
 * it, and waits for that state.
 */
export async function adoptConnector(
    inputs: ConnectorInputs,
    existing: Record<string, string>,
): Promise<ConnectorOutputs> {
    const client = clientFor(inputs);
    const status = await client.getConnectorStatus(inputs.name);
    const plan = adoptionPlan(inputs, existing, status?.connector.state);
    if (plan.writeConfig) {
        return apply(inputs, plan.found, false, plan.changeState);
    }
    if (plan.changeState) {
        return applyState(inputs);
    }
    // Same config, same state: nothing is sent; only its status is read (and waited for, e.g. tasks starting).
    return withStatus(inputs, await waitForDeclaredState(client, inputs, 0));
}
