/**
 * Renders the Secrets' contents (the worker properties, the connectors' JSON and secret values) and the digests
 * that roll the pods when they change. Pure: the component hands these plain objects to @pulumi/kubernetes.
 */
import { createHash, createHmac, Hash, Hmac } from "crypto";
import * as metricsPod from "./metrics";
import { PLUGIN_CA_KEY } from "./pluginPod";
import { formatProperties } from "./properties";

/** The worker Secret's key for `distributed.properties`. */
export const PROPERTIES_KEY = "distributed.properties";
export function connectorSecretKey(connectorName: string): string {
    return `${connectorName}.json`;
}

/** The seed's connector JSON, `{ "name", "config" }`, as mounted for reference and `curl --data @file`. */
export function renderConnectorJson(name: string, config: Readonly<Record<string, string>>): string {
    return JSON.stringify({ name, config }, null, 2) + "\n";
}

/**
 * The worker Secret's contents: `distributed.properties`, the metrics exporter's config with `metrics`, and the
 * CA certificates the plugin installer trusts with `pluginInstaller.caCertificatePem`.
 */
export function renderSecretData(
    properties: string,
    metrics?: metricsPod.ResolvedMetrics,
    pluginCaPem?: string,
): Record<string, string> {
    return {
        [PROPERTIES_KEY]: properties,
        ...(metrics === undefined
            ? {}
            : { [metricsPod.METRICS_CONFIG_KEY]: metricsPod.renderExporterConfig(metrics.rules) }),
        ...(pluginCaPem === undefined ? {} : { [PLUGIN_CA_KEY]: pluginCaPem }),
    };
}

/**
 * The connectors' reference Secret: one `<connector>.json` per connector, for people (`curl --data @file`).
 * The workers never read it (connectors reach Connect over its REST API), so it is apart from the worker
 * Secret: a connector edit replaces only this Secret and rolls no worker.
 */
export function renderConnectorsSecretData(
    connectors: readonly { name: string; config: Readonly<Record<string, string>> }[],
): Record<string, string> {
    return Object.fromEntries(
        connectors.map((connector) => [
            connectorSecretKey(connector.name),
            renderConnectorJson(connector.name, connector.config),
        ]),
    );
}

/**
 * What the pod template's checksum covers: the files the pods read at start — `distributed.properties` (and the
 * exporter's config and the plugin installer's CA certificates, when there) from the worker Secret, and every file
 * of the other Secrets given in `mounted` (by a prefix per Secret: connector secrets, REST users, keystore). Not the
 * connectors' reference Secret: Connect gets connector changes over its REST API, so editing a connector must not
 * restart every worker.
 */
export function workerInputs(
    secretData: Readonly<Record<string, string>>,
    mounted: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Record<string, string> {
    const files = Object.entries(mounted).flatMap(([prefix, data]) =>
        Object.entries(data).map(([key, value]) => [`${prefix}:${key}`, value]),
    );
    const exporter = secretData[metricsPod.METRICS_CONFIG_KEY];
    const pluginCa = secretData[PLUGIN_CA_KEY];
    return {
        [PROPERTIES_KEY]: secretData[PROPERTIES_KEY],
        ...(exporter === undefined ? {} : { [metricsPod.METRICS_CONFIG_KEY]: exporter }),
        ...(pluginCa === undefined ? {} : { [PLUGIN_CA_KEY]: pluginCa }),
        ...Object.fromEntries(files),
    };
}

/**
 * The pod template's checksum: HMAC-SHA256, keyed with the component's salt (a secret kept only in the
 * stack's state), over the files in key order. A new value rolls the pods. Unsalted, anyone who can read
 * Deployments could test guesses of the passwords in the files against it offline.
 */
export function configChecksum(data: Readonly<Record<string, string>>, salt: string): string {
    return digestFiles(createHmac("sha256", salt), data);
}

/**
 * Plain SHA-256 over the values in key order: only for digests kept as secrets themselves (a connector's
 * `secretsDigest` is stored encrypted, beside the values it covers), never for one others can read.
 */
export function secretDigest(data: Readonly<Record<string, string>>): string {
    return digestFiles(createHash("sha256"), data);
}

function digestFiles(hash: Hash | Hmac, data: Readonly<Record<string, string>>): string {
    for (const key of Object.keys(data).sort()) {
        hash.update(key).update("\0").update(data[key]).update("\0");
    }
    return hash.digest("hex");
}

/** Contents of the connector-secrets Secret: one properties file per connector with secret values. */
export function renderConnectorSecretsData(
    connectors: readonly { name: string; secretConfig: Record<string, string> }[],
): Record<string, string> {
    const data: Record<string, string> = {};
    for (const connector of connectors) {
        data[`${connector.name}.properties`] = formatProperties([
            { title: `secretConfig of connector ${connector.name}`, entries: connector.secretConfig },
        ]);
    }
    return data;
}
