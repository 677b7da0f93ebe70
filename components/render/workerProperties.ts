/**
 * Renders a Connect worker's `distributed.properties` from a fully resolved spec. Pure: no Pulumi,
 * no I/O, same spec gives the same bytes (so `pulumi preview` diffs stay stable).
 */
import { connectClusterError } from "../errors";
import { formatProperties, PropertiesSection } from "./properties";
import { BASIC_AUTH_EXTENSION } from "./restAuth";
import { StorageTopicSet } from "./storageTopics";
import { KNOWN_WORKER_CONFIG_KEYS } from "./workerConfigKeys";

export type SecurityProtocol = "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";
export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";
export type ClientConfigOverridePolicy = "None" | "Principal" | "All";
/** `exactly.once.source.support` (KIP-618): on a running cluster, "preparing" must be rolled out before "enabled". */
export type ExactlyOnceSourceSupport = "disabled" | "preparing" | "enabled";

/** How the worker and its producer/consumer/admin clients authenticate to Kafka. */
export interface KafkaClientSecurity {
    readonly protocol: SecurityProtocol;
    readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
    /** PEM CA bundle trusted for the brokers' certificates (inline, so nothing needs mounting). */
    readonly caCertificatePem?: string;
    /** PEM client certificate chain and unencrypted PKCS#8 key, for mutual TLS. */
    readonly clientCertificatePem?: string;
    readonly clientKeyPem?: string;
}

/**
 * Where a worker tells its peers its REST API is. In a pod, the address is only known at run time,
 * so it comes from an environment variable (the downward API's pod IP) through Kafka's
 * EnvVarConfigProvider; tests on one host pass a literal address.
 */
export type AdvertisedHost = { readonly fromEnv: string } | { readonly host: string };

/**
 * The HTTPS listener. The keystore is a mounted PKCS#12 file: Connect's REST server (SSLUtils, Jetty)
 * reads only `ssl.keystore.location`/`password`, so inline PEM keys are ignored and `type=PEM` fails.
 */
export interface RestTlsSpec {
    /** Path of the PKCS#12 keystore holding the workers' key and certificate chain. */
    readonly keystoreFile: string;
    /** A properties file holding `password=<keystore password>`, read through the file config provider. */
    readonly passwordFile: string;
}

export interface WorkerSpec {
    readonly bootstrapServers: string;
    readonly groupId: string;
    readonly storageTopics: StorageTopicSet;
    readonly keyConverter: string;
    readonly valueConverter: string;
    /** Written as `<key|value>.converter.schemas.enable` for converters that understand it (JSON). */
    readonly converterSchemasEnable: boolean;
    readonly restPort: number;
    /** Interface the REST listener binds: 0.0.0.0 in a pod, 127.0.0.1 on a test host. */
    readonly listenerHost: string;
    readonly advertisedHost: AdvertisedHost;
    readonly pluginPath: readonly string[];
    /**
     * Folder of mounted connector secrets. Connector configs reference files in it as
     * `${file:<dir>/<connector>.properties:<key>}`; Kafka's FileConfigProvider may read nothing else.
     */
    readonly connectorSecretsDir: string;
    readonly scheduledRebalanceMaxDelayMs: number;
    /** `connector.client.config.override.policy`: which client settings a connector config may override. */
    readonly clientConfigOverridePolicy: ClientConfigOverridePolicy;
    /** `exactly.once.source.support`: source records and their offsets written in one Kafka transaction. */
    readonly exactlyOnceSourceSupport: ExactlyOnceSourceSupport;
    /** Worker and client settings the component changes from Kafka's defaults (DEFAULTS.failoverWorkerSettings,
     * failoverClientSettings), less what `overrides` sets. */
    readonly clientDefaults: Readonly<Record<string, string>>;
    readonly security?: KafkaClientSecurity;
    /** Require HTTP basic auth on the REST API (BasicAuthSecurityRestExtension); users come from a JAAS file given to
     * the JVM. */
    readonly restAuth?: boolean;
    /** Serve the REST API over HTTPS only. */
    readonly restTls?: RestTlsSpec;
    /** Free-form worker settings; keys the component owns or Connect does not know are rejected. */
    readonly overrides: Readonly<Record<string, string>>;
}

/** Prefixes under which a worker key is passed to its clients and converters, never listed by Connect. */
const PASS_THROUGH_PREFIXES = [
    "producer.",
    "consumer.",
    "admin.",
    "key.converter.",
    "value.converter.",
    "header.converter.",
];

/** The clients a worker creates: each needs its own copy of the security settings. */
const CLIENT_PREFIXES = ["", "producer.", "consumer.", "admin."];

const ENV_PROVIDER = "env";
/** The config provider name connector secrets are referenced with: `${file:...}`. */
export const FILE_PROVIDER = "file";
const JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

/** Worker keys the component writes itself, and the input a user should set instead. */
const OWNED_KEYS: Readonly<Record<string, string>> = {
    "bootstrap.servers": "bootstrapServers",
    "group.id": "groupId",
    "config.storage.topic": "storageTopics.config.name",
    "offset.storage.topic": "storageTopics.offset.name",
    "status.storage.topic": "storageTopics.status.name",
    "config.storage.replication.factor": "replicationFactor",
    "offset.storage.replication.factor": "replicationFactor",
    "status.storage.replication.factor": "replicationFactor",
    "offset.storage.partitions": "storageTopics.offset.partitions",
    "status.storage.partitions": "storageTopics.status.partitions",
    "key.converter": "keyConverter",
    "value.converter": "valueConverter",
    "key.converter.schemas.enable": "converterSchemasEnable",
    "value.converter.schemas.enable": "converterSchemasEnable",
    listeners: "restPort",
    "rest.advertised.host.name": "(derived from the pod IP)",
    "rest.advertised.port": "restPort",
    "rest.advertised.listener": "restTls",
    "rest.extension.classes": "restAuth",
    "plugin.path": "pluginPath",
    "scheduled.rebalance.max.delay.ms": "scheduledRebalanceMaxDelayMs",
    "connector.client.config.override.policy": "connectorClientConfigOverridePolicy",
    "exactly.once.source.support": "exactlyOnceSourceSupport",
    "config.providers": "(managed: env provider for the advertised host, file provider for connector secrets)",
};

/**
 * Connect's REST server and the client it forwards requests to the leader with read their TLS settings
 * under this prefix, and fall back to the top-level `ssl.*` (the Kafka client's) only when no prefixed
 * key exists: so with restTls every listener setting is written prefixed, never shared with kafkaSecurity.
 */
const HTTPS_PREFIX = "listeners.https.";

const SECURITY_KEY = /^(security\.protocol|sasl\..*|ssl\..*)$/;

/** Renders the worker's properties text. Throws ConnectClusterError on a bad override. */
export function renderWorkerProperties(spec: WorkerSpec): string {
    validateWorkerOverrides(spec.overrides);
    const { config, offset, status } = spec.storageTopics;
    const sections: PropertiesSection[] = [
        {
            title: "Cluster identity: workers with the same group.id form one Connect cluster",
            entries: { "bootstrap.servers": spec.bootstrapServers, "group.id": spec.groupId },
        },
        {
            title: "Where the cluster keeps connector configs, source offsets and statuses",
            entries: {
                "config.storage.topic": config.name,
                "config.storage.replication.factor": String(config.replicationFactor),
                "offset.storage.topic": offset.name,
                "offset.storage.partitions": String(offset.partitions),
                "offset.storage.replication.factor": String(offset.replicationFactor),
                "status.storage.topic": status.name,
                "status.storage.partitions": String(status.partitions),
                "status.storage.replication.factor": String(status.replicationFactor),
            },
        },
        { title: "Converters", entries: converterEntries(spec) },
        {
            title: "REST API: peers forward requests to the leader at the advertised address",
            entries: restEntries(spec),
        },
        {
            title:
                "Plugins, rebalancing, and what connectors may override (Kafka's default, All, lets a connector " +
                "swap the worker's credentials)",
            entries: {
                "plugin.path": spec.pluginPath.join(","),
                "scheduled.rebalance.max.delay.ms": String(spec.scheduledRebalanceMaxDelayMs),
                "connector.client.config.override.policy": spec.clientConfigOverridePolicy,
            },
        },
        {
            title:
                "Exactly-once source support (KIP-618): source records and their offsets in one transaction when " +
                "enabled; preparing fences old task generations, the step a running cluster needs before enabled",
            // Kafka's default, disabled, is not written: a cluster that never set it keeps the same properties.
            entries:
                spec.exactlyOnceSourceSupport === "disabled"
                    ? {}
                    : { "exactly.once.source.support": spec.exactlyOnceSourceSupport },
        },
        {
            title:
                "Failover: offsets committed every 5 s (Kafka: 60 s) so a killed worker's tasks re-deliver less; " +
                "a dead worker's sink consumers leave their group sooner than Kafka's 45 s (workerOverrides may " +
                "change both)",
            entries: spec.clientDefaults,
        },
        {
            title: "Config providers: values resolved by the worker, never stored in Kafka or returned by the REST API",
            entries: configProviderEntries(spec),
        },
        {
            title: "Kafka client security, for the worker and its producer, consumer and admin clients",
            entries: securityEntries(spec.security),
        },
        { title: "Overrides (workerOverrides)", entries: spec.overrides },
    ];
    return formatProperties(sections);
}

/** Rejects overrides of keys the component owns, and keys Kafka Connect does not define. */
export function validateWorkerOverrides(overrides: Readonly<Record<string, string>>): void {
    for (const key of Object.keys(overrides).sort()) {
        const owner = OWNED_KEYS[key];
        if (owner !== undefined || key.startsWith("config.providers.") || key.startsWith(HTTPS_PREFIX)) {
            throw connectClusterError(
                "invalid-input",
                `workerOverrides["${key}"]: this worker setting is owned by ConnectCluster ` +
                    `(${owner ?? (key.startsWith(HTTPS_PREFIX) ? "restTls" : "config providers")}); ` +
                    `set that input instead of overriding it.`,
                { field: `workerOverrides["${key}"]` },
            );
        }
        if (CLIENT_PREFIXES.some((prefix) => SECURITY_KEY.test(key.slice(prefix.length)) && key.startsWith(prefix))) {
            throw connectClusterError(
                "invalid-input",
                `workerOverrides["${key}"]: Kafka security settings are owned by ConnectCluster; ` +
                    `set the \`kafkaSecurity\` input, which applies them to the worker and its producer, consumer ` +
                    `and admin clients.`,
                { field: `workerOverrides["${key}"]` },
            );
        }
        if (!KNOWN_WORKER_CONFIG_KEYS.has(key) && !PASS_THROUGH_PREFIXES.some((prefix) => key.startsWith(prefix))) {
            throw connectClusterError(
                "invalid-input",
                `workerOverrides["${key}"]: not a Kafka Connect worker setting. Check the spelling, or prefix client ` +
                    `settings with "producer.", "consumer." or "admin.".`,
                { field: `workerOverrides["${key}"]` },
            );
        }
    }
}

function converterEntries(spec: WorkerSpec): Record<string, string> {
    const entries: Record<string, string> = {
        "key.converter": spec.keyConverter,
        "value.converter": spec.valueConverter,
    };
    if (spec.keyConverter === JSON_CONVERTER) {
        entries["key.converter.schemas.enable"] = String(spec.converterSchemasEnable);
    }
    if (spec.valueConverter === JSON_CONVERTER) {
        entries["value.converter.schemas.enable"] = String(spec.converterSchemasEnable);
    }
    return entries;
}

function restEntries(spec: WorkerSpec): Record<string, string> {
    const advertised =
        "fromEnv" in spec.advertisedHost
            ? `\${${ENV_PROVIDER}:${spec.advertisedHost.fromEnv}}`
            : spec.advertisedHost.host;
    const scheme = spec.restTls === undefined ? "http" : "https";
    const entries: Record<string, string> = {
        listeners: `${scheme}://${spec.listenerHost}:${spec.restPort}`,
        "rest.advertised.listener": scheme,
        "rest.advertised.host.name": advertised,
        "rest.advertised.port": String(spec.restPort),
    };
    if (spec.restAuth === true) {
        entries["rest.extension.classes"] = BASIC_AUTH_EXTENSION;
    }
    if (spec.restTls !== undefined) {
        const password = `\${${FILE_PROVIDER}:${spec.restTls.passwordFile}:password}`;
        Object.assign(entries, {
            [`${HTTPS_PREFIX}ssl.keystore.type`]: "PKCS12",
            [`${HTTPS_PREFIX}ssl.keystore.location`]: spec.restTls.keystoreFile,
            [`${HTTPS_PREFIX}ssl.keystore.password`]: password,
            // Forwarding to the leader: a worker trusts exactly the certificate in its own keystore (Java takes
            // a key entry's certificate as a trust anchor; another certificate of the same CA is refused),
            // which every worker shares. That pins the peer, so the client does not check host names as well.
            [`${HTTPS_PREFIX}ssl.truststore.type`]: "PKCS12",
            [`${HTTPS_PREFIX}ssl.truststore.location`]: spec.restTls.keystoreFile,
            [`${HTTPS_PREFIX}ssl.truststore.password`]: password,
            [`${HTTPS_PREFIX}ssl.endpoint.identification.algorithm`]: "",
        });
    }
    return entries;
}

function configProviderEntries(spec: WorkerSpec): Record<string, string> {
    const providers: string[] = [];
    const entries: Record<string, string> = {};
    if ("fromEnv" in spec.advertisedHost) {
        // Only the one variable may be read: connectors can use config providers too, and must not
        // be able to read the rest of the worker's environment.
        providers.push(ENV_PROVIDER);
        entries[`config.providers.${ENV_PROVIDER}.class`] =
            "org.apache.kafka.common.config.provider.EnvVarConfigProvider";
        entries[`config.providers.${ENV_PROVIDER}.param.allowlist.pattern`] = `^${spec.advertisedHost.fromEnv}$`;
    }
    providers.push(FILE_PROVIDER);
    entries[`config.providers.${FILE_PROVIDER}.class`] = "org.apache.kafka.common.config.provider.FileConfigProvider";
    const tlsDir = spec.restTls === undefined ? [] : [dirname(spec.restTls.passwordFile)];
    entries[`config.providers.${FILE_PROVIDER}.param.allowed.paths`] = [spec.connectorSecretsDir, ...tlsDir].join(",");
    entries["config.providers"] = providers.join(",");
    return entries;
}

/** Security settings, written once and copied to every client prefix (forgetting copies is the usual failure). */
export function securityEntries(security: KafkaClientSecurity | undefined): Record<string, string> {
    if (security === undefined) {
        return {};
    }
    const base: Record<string, string> = { "security.protocol": security.protocol };
    if (security.sasl !== undefined) {
        const loginModule =
            security.sasl.mechanism === "PLAIN"
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        base["sasl.mechanism"] = security.sasl.mechanism;
        base["sasl.jaas.config"] =
            `${loginModule} required username="${jaasQuote(security.sasl.username)}" ` +
            `password="${jaasQuote(security.sasl.password)}";`;
    }
    if (security.caCertificatePem !== undefined) {
        base["ssl.truststore.type"] = "PEM";
        base["ssl.truststore.certificates"] = security.caCertificatePem.trim();
    }
    if (security.clientCertificatePem !== undefined && security.clientKeyPem !== undefined) {
        base["ssl.keystore.type"] = "PEM";
        base["ssl.keystore.certificate.chain"] = security.clientCertificatePem.trim();
        base["ssl.keystore.key"] = security.clientKeyPem.trim();
    }
    const entries: Record<string, string> = {};
    for (const prefix of CLIENT_PREFIXES) {
        for (const [key, value] of Object.entries(base)) {
            entries[`${prefix}${key}`] = value;
        }
    }
    return entries;
}

function dirname(file: string): string {
    return file.replace(/\/[^/]*$/, "") || "/";
}

function jaasQuote(text: string): string {
    return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}
