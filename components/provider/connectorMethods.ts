/**
 * What the Connector's dynamic provider does: check/diff/create/read/update/delete over the REST client, a thin
 * adapter to the connector operations. connectorProvider.ts delegates to this module, so that the engine serializes
 * a `require()` of it (when the library is installed as a package) instead of these bodies, into every connector's
 * inputs and outputs.
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
import { backToDeclaredState, createWithOffsets, rewind, withCurrentOffsets } from "./offsets";
import { declaredOffsetsChanged, describeDeclaredOffsets, validateDeclaredOffsets } from "./offsetsDeclaration";
import { adoptConnector } from "./adoption";
import { failedToRestart, restartFailed } from "./restarts";
import { hasUnknowns } from "./unknowns";

/**
 * Checks declared offsets (shape; not with a copy-offsets rename), and when they change on an existing connector
 * says at preview what `up` will rewind. Returns the failure message, if any.
 */
function checkOffsets(olds: ConnectorInputs | undefined, news: ConnectorInputs): string | undefined {
    if (news.offsets === undefined || hasUnknowns(news.offsets)) {
        return undefined;
    }
    try {
        validateDeclaredOffsets(news.name, news.offsets);
        if (news.rename?.mode === "copy-offsets") {
            throw connectClusterError(
                "invalid-input",
                `connectors["${news.name}"].offsets cannot be declared with onRename "copy-offsets", which sets ` +
                    `the offsets itself: apply the rename first, then declare offsets.`,
                { field: `connectors["${news.name}"].offsets` },
            );
        }
    } catch (error) {
        return (error as Error).message;
    }
    if (olds?.name !== undefined && declaredOffsetsChanged(olds, news)) {
        warnOnce(
            `connector "${news.name}": up will stop it, write its offsets (${describeDeclaredOffsets(news.offsets)}) ` +
                `and put it back ${declaredState(news)}.`,
        );
    }
    return undefined;
}

export const connectorMethods: pulumi.dynamic.ResourceProvider<ConnectorInputs, ConnectorOutputs> = {
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
        const offsetsFailure = checkOffsets(olds, checked);
        if (offsetsFailure !== undefined) {
            return { failures: [{ property: "offsets", reason: offsetsFailure }] };
        }
        // New or changed configs are validated by Connect itself when it can be reached now (at preview);
        // otherwise create/update validate before writing. Unchanged ones cost no REST call.
        const changed = olds?.config === undefined || changedConfigKeys(olds.config, checked.config).length > 0;
        // Only what validation uses: the engine also passes the serialized provider (`__provider`), whose code
        // contains this very marker, so looking at all inputs would skip validation under the real engine.
        if (changed && !hasUnknowns([checked.name, checked.config, checked.access])) {
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
        // New declared offsets are an update (stop, rewind, back to the state); the same ones again are nothing.
        const offsetsChanged = declaredOffsetsChanged(olds, news);
        // check found the connector or some of its tasks FAILED: the update restarts them.
        const restart = (news.restartFailed ?? []).length > 0;
        return {
            changes:
                replaces.length > 0 ||
                changed.length > 0 ||
                secretsChanged ||
                stateOnly.length > 0 ||
                stateChanged ||
                offsetsChanged ||
                restart,
            replaces,
            deleteBeforeReplace: false,
        };
    },

    async create(inputs) {
        const client = clientFor(inputs);
        const existing = await client.getConnectorConfig(inputs.name);
        if (existing !== undefined && inputs.adopt === true) {
            const adopted = await adoptConnector(inputs, existing);
            if (inputs.offsets !== undefined) {
                // Declared offsets are written once, on adoption too.
                await rewind({ ...inputs, offsets: inputs.offsets });
                return { id: inputs.name, outs: await withCurrentOffsets(client, await backToDeclaredState(inputs)) };
            }
            return { id: inputs.name, outs: await withCurrentOffsets(client, adopted) };
        }
        if (
            existing !== undefined &&
            changedConfigKeys(configFromConnect(inputs.name, existing), inputs.config).length > 0
        ) {
            throw connectClusterError(
                "conflict",
                `connector "${inputs.name}" already exists in the Connect cluster with a different config, and this ` +
                    `stack did not create it; ` +
                    `delete it (DELETE /connectors/${inputs.name}), choose another name, or declare adopt: true to ` +
                    `take it over.`,
                { field: "name" },
            );
        }
        if (inputs.rename?.mode === "copy-offsets") {
            return {
                id: inputs.name,
                outs: await withCurrentOffsets(client, await renameWithOffsets(inputs, inputs.rename.from)),
            };
        }
        if (existing !== undefined) {
            // The same config is already there (a create retried after its answer was lost): converge to it.
            if (inputs.offsets !== undefined) {
                await rewind({ ...inputs, offsets: inputs.offsets });
            }
            return {
                id: inputs.name,
                outs: await withCurrentOffsets(client, await apply(inputs, undefined, false, true)),
            };
        }
        if (inputs.offsets !== undefined) {
            // Created STOPPED, offsets written, then its state: no task runs from another position.
            return { id: inputs.name, outs: await createWithOffsets({ ...inputs, offsets: inputs.offsets }) };
        }
        return { id: inputs.name, outs: await withCurrentOffsets(client, await createInState(inputs)) };
    },

    async read(id, props) {
        if (props === undefined) {
            return {};
        }
        const snapshot = await snapshotOf(clientFor(props), id);
        if (snapshot === undefined) {
            return {};
        }
        const state = observedState(snapshot.status?.connector.state, declaredState(props));
        const current: ConnectorInputs = {
            name: id,
            config: configFromConnect(id, snapshot.config),
            secretsDigest: props.secretsDigest,
            rename: props.rename,
            // A connector paused, resumed or stopped by hand shows as drift: the next `up` puts it back.
            state,
            deleteOffsetsOnDelete: props.deleteOffsetsOnDelete,
            // The declaration as applied: Connect's offsets move on as the connector runs, which is no drift.
            offsets: props.offsets,
            readOffsets: props.readOffsets,
            access: props.access,
            readyTimeoutMs: props.readyTimeoutMs,
            secretRedaction: props.secretRedaction,
        };
        // The cluster's view becomes both state and inputs, so the next preview shows drift as a diff. The inputs are
        // what `check` returns for the same declaration when nothing drifted (no status outputs, the state only when
        // it differs from the declared one): otherwise the next `up` rewrites the whole stack state once per
        // connector, as the engine saves a "same" step whose stored inputs differ.
        const observed = withStatus(current, snapshot.status);
        const declaredForm = { ...current, state: state === declaredState(props) ? props.state : state };
        const inputs = Object.fromEntries(
            Object.entries(declaredForm).filter(([, value]) => value !== undefined),
        ) as unknown as ConnectorInputs;
        // Pulumi's ReadResult types `inputs` as the outputs' type; the engine takes any inputs.
        return { id, props: await withCurrentOffsets(clientFor(props), observed), inputs: inputs as ConnectorOutputs };
    },

    async update(_id, olds, news) {
        const configChanged = changedConfigKeys(olds.config, news.config).length > 0;
        const secretsChanged = olds.secretsDigest !== news.secretsDigest;
        // New declared offsets: stopped and rewound first, then back to the declared state below (a removed
        // declaration changes nothing in Connect).
        const rewound = news.offsets !== undefined && declaredOffsetsChanged(olds, news);
        if (rewound) {
            await rewind({ ...news, offsets: news.offsets! });
        }
        // After a rewind the connector is STOPPED: any other declared state is a move.
        const stateChanged = rewound ? declaredState(news) !== "stopped" : declaredState(olds) !== declaredState(news);
        const failed = news.restartFailed ?? [];
        const client = clientFor(news);
        if (!configChanged && !secretsChanged) {
            if (rewound) {
                // Stopped and started again: its failed tasks start afresh too.
                return { outs: await withCurrentOffsets(client, await backToDeclaredState(news)) };
            }
            if (failed.length > 0 && !stateChanged) {
                return { outs: await withCurrentOffsets(client, await restartFailed(news, failed)) };
            }
            if (stateChanged) {
                // Only the declared state changed: exactly the state call, and the wait for it.
                return { outs: await withCurrentOffsets(client, await applyState(news)) };
            }
            // Only inputs the provider keeps for itself changed: record them, touch nothing in Connect.
            return { outs: await withCurrentOffsets(client, withPreviousStatus(news, olds)) };
        }
        // A connector that was stopped to rewind starts its tasks afresh: no restart needed for new secrets. A config
        // change with failed tasks restarts every task, the failed ones with it.
        const restart = (!configChanged || failed.length > 0) && !rewound;
        return { outs: await withCurrentOffsets(client, await apply(news, olds.config, restart, stateChanged)) };
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
    if (olds?.name !== inputs.name || hasUnknowns([inputs.name, inputs.access])) {
        return inputs;
    }
    const client = clientFor(inputs, PREVIEW_VALIDATION_DEADLINE_MS);
    try {
        const failed = await failedToRestart(client, inputs);
        return failed.length > 0 ? { ...inputs, restartFailed: failed } : inputs;
    } catch (error) {
        // The listing's failure is kept for this process: the other connectors' checks get it without a wait.
        warnOnce(
            `Kafka Connect cannot be asked for failed connectors and tasks now ` +
                `(${(error as Error).message.split("\n")[0]}); none is restarted by this update.`,
        );
        return inputs;
    }
}
