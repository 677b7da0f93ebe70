/**
 * Connector names and configs as Connect sees them: every value a string, `name` added by Connect.
 * Pure; shared by the component (argument checks), the dynamic provider (diff) and the tests.
 * Imports only the base error module: this module is serialized with the dynamic provider.
 */
import { connectClusterError } from "../errors";

export type ConnectorConfig = Record<string, string>;

const NAME_PATTERN = /^[a-zA-Z0-9._-]{1,200}$/;

/** Checks a connector name; it is also a Secret key and a REST path segment. */
export function validateConnectorName(name: string): void {
    if (typeof name !== "string" || !NAME_PATTERN.test(name) || name === "." || name === "..") {
        throw connectClusterError(
            "invalid-input",
            `connectors: name ${JSON.stringify(name)} must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-" ` +
                `(it is used as a Kubernetes Secret key and in REST paths).`,
            { field: "connectors" },
        );
    }
}

/** Connect stores every value as a string; booleans and numbers are sent the same way. */
export function normalizeConnectorConfig(
    name: string,
    config: Record<string, string | number | boolean>,
): ConnectorConfig {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw connectClusterError("invalid-input", `connectors["${name}"].config must be an object of string values.`, {
            field: `connectors["${name}"].config`,
        });
    }
    const normalized: ConnectorConfig = {};
    for (const key of Object.keys(config).sort()) {
        const value = config[key];
        if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
            throw connectClusterError(
                "invalid-input",
                `connectors["${name}"].config["${key}"] must be a string, number or boolean (got ` +
                    `${value === null ? "null" : typeof value}).`,
                { field: `connectors["${name}"].config["${key}"]` },
            );
        }
        normalized[key] = String(value);
    }
    return normalized;
}

/** Checks what can be checked without asking Connect; the validate endpoint does the rest. */
export function validateConnectorConfig(name: string, config: ConnectorConfig): void {
    const field = `connectors["${name}"].config`;
    if ("name" in config) {
        throw connectClusterError(
            "invalid-input",
            `${field} must not contain "name": the connector's name is set by \`name\`.`,
            { field: field },
        );
    }
    if (!config["connector.class"]) {
        throw connectClusterError(
            "invalid-input",
            `${field}["connector.class"] is required (e.g. "FileStreamSink" or a fully qualified class name).`,
            { field: `${field}["connector.class"]` },
        );
    }
    const tasksMax = config["tasks.max"];
    if (tasksMax !== undefined && !/^[1-9]\d*$/.test(tasksMax)) {
        throw connectClusterError(
            "invalid-input",
            `${field}["tasks.max"] must be a whole number ≥ 1 (got "${tasksMax}").`,
            { field: `${field}["tasks.max"]` },
        );
    }
    for (const key of ["topics", "topics.regex"]) {
        if (key in config && config[key].trim() === "") {
            throw connectClusterError(
                "invalid-input",
                `${field}["${key}"] is empty: name at least one topic, or remove the key.`,
                { field: `${field}["${key}"]` },
            );
        }
    }
}

/** Rejects two connectors with the same name (Connect would silently keep only the last). */
export function validateUniqueNames(names: readonly string[]): void {
    const seen = new Set<string>();
    for (const name of names) {
        if (seen.has(name)) {
            throw connectClusterError(
                "invalid-input",
                `connectors: the name "${name}" is used twice; connector names must be unique in a cluster.`,
                { field: "connectors" },
            );
        }
        seen.add(name);
    }
}

/** Keys allowed in `secretConfig`: they become property keys in the mounted secrets file. */
const SECRET_KEY_PATTERN = /^[a-zA-Z0-9._-]+$/;

/** Checks secretConfig keys: well-formed, and not also given in plain `config`. */
export function validateSecretKeys(name: string, config: ConnectorConfig, secretKeys: readonly string[]): void {
    for (const key of secretKeys) {
        if (!SECRET_KEY_PATTERN.test(key)) {
            throw connectClusterError(
                "invalid-input",
                `connectors["${name}"].secretConfig["${key}"]: keys may use only a-z, A-Z, 0-9, ".", "_" and "-".`,
                { field: `connectors["${name}"].secretConfig["${key}"]` },
            );
        }
        if (key === "name" || key === "connector.class") {
            throw connectClusterError(
                "invalid-input",
                `connectors["${name}"].secretConfig["${key}"]: this key cannot be secret; put it in config.`,
                { field: `connectors["${name}"].secretConfig["${key}"]` },
            );
        }
        if (key in config) {
            throw connectClusterError(
                "invalid-input",
                `connectors["${name}"].secretConfig["${key}"] is also set in config: give each key once, in ` +
                    `secretConfig if its value is secret.`,
                { field: `connectors["${name}"].secretConfig["${key}"]` },
            );
        }
    }
}

/** The file (in the mounted secrets folder) holding one connector's secret values. */
export function connectorSecretsFile(secretsDir: string, name: string): string {
    return `${secretsDir}/${name}.properties`;
}

/**
 * The config Connect is given: plain values as they are, secret ones as `${file:<file>:<key>}`
 * references that only the workers resolve. What Connect stores and returns holds no secret.
 */
export function withSecretReferences(
    config: ConnectorConfig,
    secretKeys: readonly string[],
    secretsFile: string,
): ConnectorConfig {
    const result: ConnectorConfig = { ...config };
    for (const key of [...secretKeys].sort()) {
        result[key] = `\${file:${secretsFile}:${key}}`;
    }
    return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What Connect returns for a config, made comparable with what we sent: without the `name` it adds. */
export function configFromConnect(name: string, returned: Record<string, string>): ConnectorConfig {
    const config: ConnectorConfig = {};
    for (const key of Object.keys(returned).sort()) {
        if (key === "name" && returned[key] === name) {
            continue;
        }
        config[key] = String(returned[key]);
    }
    return config;
}

/** Keys added, removed or changed between two normalized configs, sorted. */
export function changedConfigKeys(before: ConnectorConfig, after: ConnectorConfig): string[] {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].filter((key) => before[key] !== after[key]).sort();
}
