/**
 * Turns `connectors` args into what the component declares: the config Connect receives (secret
 * values replaced by `${file:...}` references), the secret values for the mounted Secret, and a digest
 * of those values so a change restarts the connector. Bad input fails now when it is plain, or when it
 * resolves otherwise.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectorArgs } from "./args";
import { connectClusterError } from "../errors";
import { DEFAULTS } from "../config/defaults";
import {
    ConnectorConfig,
    connectorSecretsFile,
    normalizeConnectorConfig,
    validateConnectorConfig,
    validateConnectorName,
    validateSecretKeys,
    validateUniqueNames,
    withSecretReferences,
} from "../provider/connectorConfig";
import { secretDigest } from "../render/workload";
import type { DeclaredOffsets } from "../provider/connectorTypes";
import { validateDeclaredOffsets } from "../provider/offsetsDeclaration";

export interface PreparedConnector {
    readonly name: string;
    readonly rename?: { readonly from: string; readonly mode: "copy-offsets" | "reset" };
    readonly deleteOffsetsOnDelete: boolean;
    /** Take over an existing connector of this name on create. */
    readonly adopt: boolean;
    readonly state: "running" | "paused" | "stopped";
    /** Declared offsets, checked when plain (the provider checks them again at preview). */
    readonly offsets?: pulumi.Input<DeclaredOffsets>;
    readonly readOffsets: boolean;
    /** The config as sent to Connect: no secret values in it. */
    readonly config: pulumi.Output<ConnectorConfig>;
    /** Secret values (always a Pulumi secret); undefined when the connector has none. */
    readonly secretConfig?: pulumi.Output<Record<string, string>>;
    /**
     * SHA-256 of the secret values, a secret too (encrypted in the state like the values themselves, never in
     * the pod spec): changes when any value changes, so the connector restarts.
     */
    readonly secretsDigest?: pulumi.Output<string>;
}

/** The Connector resource's arguments every declared connector shares: what the user declared, as prepared. */
export function declaredConnectorArgs(connector: PreparedConnector) {
    return {
        name: connector.name,
        config: connector.config,
        rename: connector.rename,
        deleteOffsetsOnDelete: connector.deleteOffsetsOnDelete,
        adopt: connector.adopt,
        state: connector.state,
        offsets: connector.offsets,
        readOffsets: connector.readOffsets,
    };
}

/** Checks and prepares every connector. `secretsDir` is where the workers see the secrets. */
export function prepareConnectors(connectors: readonly ConnectorArgs[], secretsDir: string): PreparedConnector[] {
    connectors.forEach((connector) => validateConnectorName(connector.name));
    validateUniqueNames(connectors.map((connector) => connector.name));
    return connectors.map((connector) => {
        const lifecycle = {
            rename: renameOf(connector),
            deleteOffsetsOnDelete: connector.deleteOffsetsOnDelete ?? DEFAULTS.deleteOffsetsOnDelete,
            adopt: connector.adopt ?? DEFAULTS.adopt,
            state: stateOf(connector),
            offsets: offsetsOf(connector),
            readOffsets: connector.readOffsets ?? DEFAULTS.readOffsets,
        };
        const check = (
            config: Record<string, string | number | boolean>,
            secretKeys: readonly string[],
        ): ConnectorConfig => {
            const normalized = normalizeConnectorConfig(connector.name, config);
            validateConnectorConfig(connector.name, normalized);
            validateSecretKeys(connector.name, normalized, secretKeys);
            return normalized;
        };
        const plainConfig = plainValue(connector.config) as Record<string, string> | undefined;
        const plainSecret = plainValue(connector.secretConfig) as Record<string, string> | undefined;
        if (plainConfig !== undefined && (connector.secretConfig === undefined || plainSecret !== undefined)) {
            check(plainConfig, Object.keys(plainSecret ?? {}));
        }
        if (connector.secretConfig === undefined) {
            return {
                name: connector.name,
                ...lifecycle,
                config: pulumi.output(connector.config).apply((config) => check(config, [])),
            };
        }
        const secretConfig = pulumi.secret(
            pulumi.output(connector.secretConfig) as pulumi.Output<Record<string, string>>,
        );
        // The keys are not secret, only the values: keep the config readable in diffs.
        const secretKeys = pulumi.unsecret(secretConfig.apply((values) => Object.keys(values).sort()));
        const file = connectorSecretsFile(secretsDir, connector.name);
        return {
            name: connector.name,
            ...lifecycle,
            config: pulumi
                .all([connector.config, secretKeys])
                .apply(([config, keys]) => withSecretReferences(check(config, keys), keys, file)),
            secretConfig,
            secretsDigest: secretConfig.apply(secretDigest),
        };
    });
}

/** The declared state, checked (a JavaScript caller's typo would otherwise reach the provider). */
function stateOf(connector: ConnectorArgs): PreparedConnector["state"] {
    const state = connector.state ?? DEFAULTS.state;
    if (state !== "running" && state !== "paused" && state !== "stopped") {
        throw connectClusterError(
            "invalid-input",
            `connectors["${connector.name}"].state is "${String(state)}": use "running", "paused" or "stopped".`,
            { field: `connectors["${connector.name}"].state` },
        );
    }
    return state;
}

/** The declared offsets: checked now when plain, when they resolve otherwise. */
function offsetsOf(connector: ConnectorArgs): PreparedConnector["offsets"] {
    if (connector.offsets === undefined) {
        return undefined;
    }
    const check = (offsets: unknown): DeclaredOffsets => {
        validateDeclaredOffsets(connector.name, offsets);
        if (connector.onRename === "copy-offsets") {
            throw connectClusterError(
                "invalid-input",
                `connectors["${connector.name}"].offsets cannot be declared with onRename "copy-offsets", which ` +
                    `sets the offsets itself: apply the rename first, then declare offsets.`,
                { field: `connectors["${connector.name}"].offsets` },
            );
        }
        return offsets;
    };
    const plain = plainValue(connector.offsets);
    return plain !== undefined ? check(plain) : pulumi.output(connector.offsets).apply((value) => check(value));
}

/** Checks previousName/onRename, which only make sense together. */
function renameOf(connector: ConnectorArgs): PreparedConnector["rename"] {
    const field = `connectors["${connector.name}"]`;
    if (connector.previousName === undefined) {
        if (connector.onRename !== undefined) {
            throw connectClusterError(
                "invalid-input",
                `${field}.onRename is set without previousName: give the connector's old name, or remove onRename.`,
                { field: `${field}.onRename` },
            );
        }
        return undefined;
    }
    validateConnectorName(connector.previousName);
    if (connector.previousName === connector.name) {
        throw connectClusterError(
            "invalid-input",
            `${field}.previousName is the same as name: remove previousName once the rename is done.`,
            { field: `${field}.previousName` },
        );
    }
    if (connector.onRename !== "copy-offsets" && connector.onRename !== "reset") {
        throw connectClusterError(
            "invalid-input",
            `${field}.onRename is required with previousName: "copy-offsets" to continue where ` +
                `"${connector.previousName}" stopped, or "reset" to start afresh.`,
            { field: `${field}.onRename` },
        );
    }
    return { from: connector.previousName, mode: connector.onRename };
}

/** The value itself when it holds no Output or Promise at any depth; otherwise undefined. */
export function plainValue(value: unknown): unknown {
    const isPlain = (v: unknown): boolean =>
        pulumi.Output.isInstance(v) || v instanceof Promise
            ? false
            : Array.isArray(v)
              ? v.every(isPlain)
              : v !== null && typeof v === "object"
                ? Object.values(v).every(isPlain)
                : true;
    return isPlain(value) ? value : undefined;
}
