/**
 * The Pulumi dynamic provider for one connector: a thin adapter from Pulumi's
 * check/diff/create/read/update/delete to the connector operations over the REST client. Its code is
 * serialized into the stack state, so it captures nothing but the modules it calls; credentials
 * arrive as (secret) inputs.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
    changedConfigKeys,
    configFromConnect,
    normalizeConnectorConfig,
    validateConnectorConfig,
    validateConnectorName,
} from "./connectorConfig";
import {
    apply,
    applyState,
    changedStateOnlyInputs,
    clientFor,
    createInState,
    declaredState,
    deleteConnector,
    observedState,
    PREVIEW_VALIDATION_DEADLINE_MS,
    renameWithOffsets,
    validateWithConnect,
    warnOnce,
    withPreviousStatus,
    withStatus,
} from "./connectorOperations";
import { ConnectorInputs, ConnectorOutputs } from "./connectorTypes";
import { connectClusterError, isConnectClusterError } from "../errors";
import { isTransient } from "../rest/restErrors";
import { snapshotOf } from "./snapshotCache";
import { failedToRestart, restartFailed } from "./restarts";

export * from "./connectorTypes";
export { clientFor, plaintextPasswordKeys, validateWithConnect } from "./connectorOperations";

/** Pulumi's marker for a value not known yet (during preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

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
        // Only what validation uses: the engine also passes the serialized provider (`__provider`), whose code
        // contains this very marker, so looking at all inputs would skip validation under the real engine.
        if (changed && !JSON.stringify([checked.name, checked.config, checked.access]).includes(UNKNOWN)) {
            try {
                await validateWithConnect(clientFor(checked, PREVIEW_VALIDATION_DEADLINE_MS), checked);
            } catch (error) {
                // Only a transient condition defers validation; anything else (a 4xx, a broken plugin's 500) is
                // Connect's answer.
                if (!isConnectClusterError(error) || !isTransient(error)) {
                    return { failures: [{ property: "config", reason: (error as Error).message }] };
                }
                warnOnce(
                    `Kafka Connect cannot validate connector configs now (${error.message.split("\n")[0]}); ` +
                        `they are validated when they are applied instead.`,
                );
            }
        }
        return { inputs: await withRestartRequest(olds, checked) };
    },

    async diff(_id, olds, news) {
        const replaces = olds.name !== news.name ? ["name"] : [];
        const changed = changedConfigKeys(olds.config, news.config);
        const secretsChanged = olds.secretsDigest !== news.secretsDigest;
        // When diff reports no change the engine keeps the old outputs, and read/delete would go on using
        // the old access and delete policy: a change of those alone is an update too (one that sends nothing).
        const stateOnly = changedStateOnlyInputs(olds, news);
        // A new declared state is an update: the connector is paused, resumed or stopped in place.
        const stateChanged = declaredState(olds) !== declaredState(news);
        // check found the connector or some of its tasks FAILED: the update restarts them.
        const restart = (news.restartFailed ?? []).length > 0;
        return {
            changes:
                replaces.length > 0 ||
                changed.length > 0 ||
                secretsChanged ||
                stateOnly.length > 0 ||
                stateChanged ||
                restart,
            replaces,
            deleteBeforeReplace: false,
        };
    },

    async create(inputs) {
        const existing = await clientFor(inputs).getConnectorConfig(inputs.name);
        if (
            existing !== undefined &&
            changedConfigKeys(configFromConnect(inputs.name, existing), inputs.config).length > 0
        ) {
            throw connectClusterError(
                "conflict",
                `connector "${inputs.name}" already exists in the Connect cluster with a different config, and this ` +
                    `stack did not create it; ` +
                    `delete it (DELETE /connectors/${inputs.name}) or choose another name.`,
                { field: "name" },
            );
        }
        if (inputs.rename?.mode === "copy-offsets") {
            return { id: inputs.name, outs: await renameWithOffsets(inputs, inputs.rename.from) };
        }
        if (existing !== undefined) {
            // The same config is already there (a create retried after its answer was lost): converge to it.
            return { id: inputs.name, outs: await apply(inputs, undefined, false, true) };
        }
        return { id: inputs.name, outs: await createInState(inputs) };
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
            rename: props.rename,
            // A connector paused, resumed or stopped by hand shows as drift: the next `up` puts it back.
            state: observedState(snapshot.status?.connector.state, declaredState(props)),
            deleteOffsetsOnDelete: props.deleteOffsetsOnDelete,
            access: props.access,
            readyTimeoutMs: props.readyTimeoutMs,
            secretRedaction: props.secretRedaction,
        };
        // The cluster's view becomes both state and inputs, so the next preview shows drift as a diff.
        const observed = withStatus(current, snapshot.status);
        return { id, props: observed, inputs: observed };
    },

    async update(_id, olds, news) {
        const configChanged = changedConfigKeys(olds.config, news.config).length > 0;
        const secretsChanged = olds.secretsDigest !== news.secretsDigest;
        const stateChanged = declaredState(olds) !== declaredState(news);
        const failed = news.restartFailed ?? [];
        if (!configChanged && !secretsChanged) {
            if (failed.length > 0 && !stateChanged) {
                return { outs: await restartFailed(news, failed) };
            }
            if (stateChanged) {
                // Only the declared state changed: exactly the state call, and the wait for it.
                return { outs: await applyState(news) };
            }
            // Only inputs the provider keeps for itself changed: record them, touch nothing in Connect.
            return { outs: withPreviousStatus(news, olds) };
        }
        // A config change with failed tasks restarts every task, the failed ones with it.
        return { outs: await apply(news, olds.config, !configChanged || failed.length > 0, stateChanged) };
    },

    async delete(id, props) {
        await deleteConnector(id, props);
    },
};

/**
 * The checked inputs, with `restartFailed` naming the failed connector and tasks of an existing connector when
 * Connect can be asked now (one listing per target, shared by every connector). Without an answer in time, `up`
 * restarts nothing: failures are looked at again by the next one.
 */
async function withRestartRequest(olds: ConnectorInputs | undefined, checked: ConnectorInputs) {
    const { restartFailed: _ignored, ...inputs } = checked;
    if (olds?.name !== inputs.name || JSON.stringify([inputs.name, inputs.access]).includes(UNKNOWN)) {
        return inputs;
    }
    const client = clientFor(inputs, PREVIEW_VALIDATION_DEADLINE_MS);
    // One unreachable target costs one wait per provider process, not one per connector.
    const unreachable = ((globalThis as Record<string, unknown>).__connectClusterNoFailureCheck ??= new Set<string>());
    if ((unreachable as Set<string>).has(client.target.baseUrl)) {
        return inputs;
    }
    try {
        const failed = await failedToRestart(client, inputs);
        return failed.length > 0 ? { ...inputs, restartFailed: failed } : inputs;
    } catch (error) {
        (unreachable as Set<string>).add(client.target.baseUrl);
        warnOnce(
            `Kafka Connect cannot be asked for failed connectors and tasks now ` +
                `(${(error as Error).message.split("\n")[0]}); none is restarted by this update.`,
        );
        return inputs;
    }
}
