/**
 * The bad-input catalogue (also in the README's troubleshooting section), one row per bad input: what is wrong,
 * the pure function that rejects it, the component name (default "c"), the args and the exact error.
 * badInputs.test.ts checks that the component rejects every row before declaring anything; each module's own
 * test checks that its function rejects the rows it names, with the same message. Inputs only Connect or Kafka
 * can judge are in test/integration/pipeline.test.ts.
 */
import type { ConnectClusterArgs } from "../../../components";

export type RejectedBy =
    | "ConnectCluster"
    | "resolveClusterConfig"
    | "storageTopicSpecs"
    | "validateWorkerOverrides"
    | "validateConnectorName"
    | "validateUniqueNames"
    | "validateConnectorConfig"
    | "normalizeConnectorConfig"
    | "validateSecretKeys"
    | "prepareConnectors"
    | "validateRestAccess"
    | "validateRestAuthUsers"
    | "resolveRestCredentials"
    | "validateKafkaSecurity"
    | "validateConnectorsExactlyOnce";

export interface BadInput {
    /** What is wrong. */
    readonly name: string;
    /** The pure function that rejects it (the component calls it before declaring anything). */
    readonly rejectedBy: RejectedBy;
    /** The component's name; "c" when not given. */
    readonly component?: string;
    readonly args: ConnectClusterArgs;
    /** The exact error message. */
    readonly message: string;
}

const sink = { "connector.class": "FileStreamSink", topics: "t" };
const base: ConnectClusterArgs = { bootstrapServers: "broker:9092" };

export const CATALOGUE: readonly BadInput[] = [
    {
        name: "uppercase component name",
        rejectedBy: "ConnectCluster",
        component: "Sink",
        args: base,
        message:
            'ConnectCluster name "Sink" must be 1-49 characters of lowercase letters, digits and "-", starting with ' +
            "a " +
            "letter: it names the Kubernetes Deployment, Service and Secret.",
    },
    {
        name: "component name too long",
        rejectedBy: "ConnectCluster",
        component: "a".repeat(50),
        args: base,
        message:
            `ConnectCluster name "${"a".repeat(50)}" must be 1-49 characters of lowercase letters, digits and "-", ` +
            `starting with a letter: it names the Kubernetes Deployment, Service and Secret.`,
    },
    {
        name: "bootstrap server without port",
        rejectedBy: "resolveClusterConfig",
        args: { bootstrapServers: "broker" },
        message: 'bootstrapServers must be a comma-separated list of host:port (got "broker").',
    },
    {
        name: "empty bootstrap servers",
        rejectedBy: "resolveClusterConfig",
        args: { bootstrapServers: "" },
        message: 'bootstrapServers must be a comma-separated list of host:port (got "").',
    },
    {
        name: "group id with a space",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, groupId: "my group" },
        message: 'groupId "my group" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-".',
    },
    {
        name: "uppercase namespace",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, namespace: "Kafka" },
        message: 'namespace "Kafka" is not a valid Kubernetes namespace name (lowercase RFC 1123 label).',
    },
    {
        name: "negative replicas",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, replicas: -1 },
        message: "replicas must be a whole number ≥ 0 (got -1).",
    },
    {
        name: "fractional replicas",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, replicas: 1.5 },
        message: "replicas must be a whole number ≥ 0 (got 1.5).",
    },
    {
        name: "replication factor 0",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, replicationFactor: 0 },
        message: "replicationFactor must be a whole number ≥ 1 (got 0).",
    },
    {
        name: "REST port 0",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, restPort: 0 },
        message: "restPort must be a whole number ≥ 1 (got 0).",
    },
    {
        name: "REST port above 65535",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, restPort: 70000 },
        message: "restPort must be between 1 and 65535 (got 70000).",
    },
    {
        name: "config topic with 2 partitions",
        rejectedBy: "storageTopicSpecs",
        args: { ...base, storageTopics: { config: { partitions: 2 } } },
        message:
            "storageTopics.config.partitions must be 1 (got 2): Kafka Connect requires a single-partition config " +
            "topic " +
            "to keep connector configs in order.",
    },
    {
        name: "non-compacted offset topic",
        rejectedBy: "storageTopicSpecs",
        args: { ...base, storageTopics: { offset: { config: { "cleanup.policy": "delete" } } } },
        message:
            'storageTopics.offset.config["cleanup.policy"] must be "compact" (got "delete"): Connect\'s storage ' +
            "topics " +
            "must keep the latest value per key forever; remove the setting.",
    },
    {
        name: "status topic with 0 partitions",
        rejectedBy: "storageTopicSpecs",
        args: { ...base, storageTopics: { status: { partitions: 0 } } },
        message: "storageTopics.status.partitions must be a whole number ≥ 1 (got 0).",
    },
    {
        name: "invalid topic name",
        rejectedBy: "storageTopicSpecs",
        args: { ...base, storageTopics: { config: { name: "a/b" } } },
        message:
            'storageTopics.config.name "a/b" is not a valid Kafka topic name: use 1-249 characters from a-z, A-Z, ' +
            "0-9, " +
            '".", "_" and "-".',
    },
    {
        name: "two storage topics with one name",
        rejectedBy: "storageTopicSpecs",
        args: { ...base, storageTopics: { offset: { name: "x" }, status: { name: "x" } } },
        message:
            "storageTopics: the config, offset and status topics need three different names (got _c.config, x, x).",
    },
    {
        name: "override of group.id",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "group.id": "g" } },
        message:
            'workerOverrides["group.id"]: this worker setting is owned by ConnectCluster (groupId); set that input ' +
            "instead of overriding it.",
    },
    {
        name: "override of listeners",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { listeners: "http://:9" } },
        message:
            'workerOverrides["listeners"]: this worker setting is owned by ConnectCluster (restPort); set that input ' +
            "instead of overriding it.",
    },
    {
        name: "misspelled worker setting",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "offset.flush.intervall.ms": "1" } },
        message:
            'workerOverrides["offset.flush.intervall.ms"]: not a Kafka Connect worker setting. Check the spelling, ' +
            "or " +
            'prefix client settings with "producer.", "consumer." or "admin.".',
    },
    {
        name: "security setting as an override",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "producer.sasl.jaas.config": "x" } },
        message:
            'workerOverrides["producer.sasl.jaas.config"]: Kafka security settings are owned by ConnectCluster; set ' +
            "the " +
            "`kafkaSecurity` input, which applies them to the worker and its producer, consumer and admin clients.",
    },
    {
        name: "config provider as an override",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "config.providers.vault.class": "x" } },
        message:
            'workerOverrides["config.providers.vault.class"]: this worker setting is owned by ConnectCluster (config ' +
            "providers); set that input instead of overriding it.",
    },
    {
        name: "unknown override policy",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, connectorClientConfigOverridePolicy: "Some" as "None" },
        message: 'connectorClientConfigOverridePolicy must be "None", "Principal" or "All" (got "Some").',
    },
    {
        name: "unknown exactly-once mode",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, exactlyOnceSourceSupport: "on" as "enabled" },
        message: 'exactlyOnceSourceSupport must be "disabled", "preparing" or "enabled" (got "on").',
    },
    {
        name: "exactly.once.source.support as a worker override",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "exactly.once.source.support": "enabled" } },
        message:
            'workerOverrides["exactly.once.source.support"]: this worker setting is owned by ConnectCluster ' +
            "(exactlyOnceSourceSupport); set that input instead of overriding it.",
    },
    {
        name: "a connector requiring exactly-once on workers that do not enable it",
        rejectedBy: "validateConnectorsExactlyOnce",
        args: {
            ...base,
            exactlyOnceSourceSupport: "preparing",
            connectors: [
                { name: "src", config: { "connector.class": "FileStreamSource", "exactly.once.support": "required" } },
            ],
        },
        message:
            'connectors["src"].config["exactly.once.support"] is "required" but exactlyOnceSourceSupport is ' +
            '"preparing": Connect ignores the key unless the workers run with "enabled". Set ' +
            'exactlyOnceSourceSupport to "enabled" (on a running cluster, after an up with "preparing"), or remove ' +
            "the key.",
    },
    {
        name: "a connector's exactly.once.support neither requested nor required",
        rejectedBy: "validateConnectorsExactlyOnce",
        args: {
            ...base,
            connectors: [
                { name: "src", config: { "connector.class": "FileStreamSource", "exactly.once.support": "yes" } },
            ],
        },
        message: 'connectors["src"].config["exactly.once.support"] must be "requested" or "required" (got "yes").',
    },
    {
        name: "plugin path with a comma",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, pluginPath: ["/a,/b"] },
        message: 'pluginPath entries must not contain "," (it separates entries in plugin.path).',
    },
    {
        name: "ready timeout 0",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, connectorReadyTimeoutSeconds: 0 },
        message: "connectorReadyTimeoutSeconds must be a whole number ≥ 1 (got 0).",
    },
    {
        name: "negative rebalance delay",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, scheduledRebalanceMaxDelayMs: -1 },
        message: "scheduledRebalanceMaxDelayMs must be a whole number ≥ 0 (got -1).",
    },
    {
        name: "connector name with a slash",
        rejectedBy: "validateConnectorName",
        args: { ...base, connectors: [{ name: "a/b", config: sink }] },
        message:
            'connectors: name "a/b" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-" (it is used as a ' +
            "Kubernetes Secret key and in REST paths).",
    },
    {
        name: "empty connector name",
        rejectedBy: "validateConnectorName",
        args: { ...base, connectors: [{ name: "", config: sink }] },
        message:
            'connectors: name "" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-" (it is used as a ' +
            "Kubernetes Secret key and in REST paths).",
    },
    {
        name: "duplicate connector names",
        rejectedBy: "validateUniqueNames",
        args: {
            ...base,
            connectors: [
                { name: "s", config: sink },
                { name: "s", config: sink },
            ],
        },
        message: 'connectors: the name "s" is used twice; connector names must be unique in a cluster.',
    },
    {
        name: "name inside the config",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, name: "s" } }] },
        message: 'connectors["s"].config must not contain "name": the connector\'s name is set by `name`.',
    },
    {
        name: "no connector.class",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { topics: "t" } }] },
        message:
            'connectors["s"].config["connector.class"] is required (e.g. "FileStreamSink" or a fully qualified ' +
            "class name).",
    },
    {
        name: "tasks.max 0",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, "tasks.max": 0 } }] },
        message: 'connectors["s"].config["tasks.max"] must be a whole number ≥ 1 (got "0").',
    },
    {
        name: "tasks.max not a number",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, "tasks.max": "two" } }] },
        message: 'connectors["s"].config["tasks.max"] must be a whole number ≥ 1 (got "two").',
    },
    {
        name: "empty topics",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, topics: "" } }] },
        message: 'connectors["s"].config["topics"] is empty: name at least one topic, or remove the key.',
    },
    {
        name: "blank topics",
        rejectedBy: "validateConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, topics: " " } }] },
        message: 'connectors["s"].config["topics"] is empty: name at least one topic, or remove the key.',
    },
    {
        name: "nested config value",
        rejectedBy: "normalizeConnectorConfig",
        args: { ...base, connectors: [{ name: "s", config: { ...sink, extra: { a: 1 } as unknown as string } }] },
        message: 'connectors["s"].config["extra"] must be a string, number or boolean (got object).',
    },
    {
        name: "secretConfig key also in config",
        rejectedBy: "validateSecretKeys",
        args: { ...base, connectors: [{ name: "s", config: sink, secretConfig: { topics: "x" } }] },
        message:
            'connectors["s"].secretConfig["topics"] is also set in config: give each key once, in secretConfig if ' +
            "its " +
            "value is secret.",
    },
    {
        name: "connector.class as a secret",
        rejectedBy: "validateSecretKeys",
        args: { ...base, connectors: [{ name: "s", config: sink, secretConfig: { "connector.class": "x" } }] },
        message: 'connectors["s"].secretConfig["connector.class"]: this key cannot be secret; put it in config.',
    },
    {
        name: "rename without a choice",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s2", previousName: "s", config: sink }] },
        message:
            'connectors["s2"].onRename is required with previousName: "copy-offsets" to continue where "s" stopped, ' +
            "or " +
            '"reset" to start afresh.',
    },
    {
        name: "a state Connect has no call for",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s", state: "PAUSED" as "paused", config: sink }] },
        message: 'connectors["s"].state is "PAUSED": use "running", "paused" or "stopped".',
    },
    {
        name: "offsets with an empty set",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s", offsets: { set: [] }, config: sink }] },
        message:
            'connectors["s"].offsets.set must be a non-empty array of { partition, offset }; to delete every ' +
            "offset use reset.",
    },
    {
        name: "offsets with onRename copy-offsets",
        rejectedBy: "prepareConnectors",
        args: {
            ...base,
            connectors: [
                { name: "s", previousName: "r", onRename: "copy-offsets", offsets: { reset: true }, config: sink },
            ],
        },
        message:
            'connectors["s"].offsets cannot be declared with onRename "copy-offsets", which sets the offsets ' +
            "itself: apply the rename first, then declare offsets.",
    },
    {
        name: "onRename without previousName",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s", onRename: "reset", config: sink }] },
        message:
            'connectors["s"].onRename is set without previousName: give the connector\'s old name, or remove onRename.',
    },
    {
        name: "previousName equal to name",
        rejectedBy: "prepareConnectors",
        args: { ...base, connectors: [{ name: "s", previousName: "s", onRename: "reset", config: sink }] },
        message: 'connectors["s"].previousName is the same as name: remove previousName once the rename is done.',
    },
    {
        name: "both REST access modes",
        rejectedBy: "validateRestAccess",
        args: { ...base, restAccess: { url: "http://c:8083", kubernetesServiceProxy: {} } },
        message: "restAccess: give either url or kubernetesServiceProxy, not both.",
    },
    {
        name: "REST credentials without a URL",
        rejectedBy: "validateRestAccess",
        args: { ...base, restAccess: { username: "admin" } },
        message: "restAccess.username, password and caCertificatePem apply to restAccess.url; set url too.",
    },
    {
        name: "restAuth through the service proxy",
        rejectedBy: "validateRestAccess",
        args: { ...base, restAuth: { users: { ops: "pw" } } },
        message:
            "restAuth needs restAccess.url (an ingress, a VPN or port-forward address): the Kubernetes API server's " +
            "service proxy removes the Authorization header, so the provider's credentials would never reach the " +
            "workers.",
    },
    {
        name: "restAuth without users",
        rejectedBy: "validateRestAuthUsers",
        args: { ...base, restAuth: { users: {} }, restAccess: { url: "http://c:8083" } },
        message:
            "restAuth.users must name at least one user: Kafka's PropertyFileLoginModule lets everyone in when it " +
            "has " +
            "no users.",
    },
    {
        name: "restAuth user name with a colon",
        rejectedBy: "validateRestAuthUsers",
        args: { ...base, restAuth: { users: { "a:b": "pw" } }, restAccess: { url: "http://c:8083" } },
        message: 'restAuth.users: user name "a:b" must be 1-200 characters without ":" or whitespace.',
    },
    {
        name: "restAuth with several users and no restAccess.username",
        rejectedBy: "resolveRestCredentials",
        args: { ...base, restAuth: { users: { a: "1", b: "2" } }, restAccess: { url: "http://c:8083" } },
        message:
            "restAccess.username is required: restAuth.users has 2 users (a, b); name the one the provider logs in as.",
    },
    {
        name: "restTls through the API server's proxy",
        rejectedBy: "validateRestAccess",
        args: { ...base, replicas: 1, restTls: { keystorePkcs12Base64: "MA==", keystorePassword: "pw" } },
        message:
            "restTls needs restAccess.url (an address the workers' certificate names): through the Kubernetes API " +
            "server's service proxy the request reaches a worker under a host name its certificate cannot name, and " +
            'Jetty refuses it (HTTP 400 "Invalid SNI").',
    },
    {
        name: "restTls with 2 replicas",
        rejectedBy: "resolveClusterConfig",
        args: {
            ...base,
            restTls: { keystorePkcs12Base64: "MA==", keystorePassword: "pw" },
            restAccess: { url: "https://connect.example:8083" },
        },
        message:
            "restTls supports at most 1 replica for now (got 2): workers forward requests to the leader at its pod " +
            "IP, " +
            "and Kafka Connect's HTTPS listener refuses requests whose host its certificate does not name (HTTP 400 " +
            '"Invalid SNI").',
    },
    {
        name: "override of the REST listener's TLS",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "listeners.https.ssl.keystore.location": "/k.p12" } },
        message:
            'workerOverrides["listeners.https.ssl.keystore.location"]: this worker setting is owned by ' +
            "ConnectCluster " +
            "(restTls); set that input instead of overriding it.",
    },
    {
        name: "SASL protocol without credentials",
        rejectedBy: "validateKafkaSecurity",
        args: { ...base, kafkaSecurity: { protocol: "SASL_SSL" } },
        message: "kafkaSecurity.sasl is required with protocol SASL_SSL: give mechanism, username and password.",
    },
    {
        name: "credentials with a non-SASL protocol",
        rejectedBy: "validateKafkaSecurity",
        args: {
            ...base,
            kafkaSecurity: { protocol: "SSL", sasl: { mechanism: "PLAIN", username: "u", password: "p" } },
        },
        message: "kafkaSecurity.sasl is set but protocol SSL does not use SASL: use SASL_SSL or SASL_PLAINTEXT.",
    },
    {
        name: "client certificate without its key",
        rejectedBy: "validateKafkaSecurity",
        args: { ...base, kafkaSecurity: { protocol: "SSL", clientCertificatePem: "CERT" } },
        message: "kafkaSecurity.clientCertificatePem and clientKeyPem go together: give both or neither.",
    },
    {
        name: "unknown SASL mechanism",
        rejectedBy: "validateKafkaSecurity",
        args: {
            ...base,
            kafkaSecurity: {
                protocol: "SASL_SSL",
                sasl: { mechanism: "GSSAPI" as "PLAIN", username: "u", password: "p" },
            },
        },
        message: "kafkaSecurity.sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.",
    },
    {
        name: "override of a storage topic setting",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "status.storage.topic": "x" } },
        message:
            'workerOverrides["status.storage.topic"]: this worker setting is owned by ConnectCluster ' +
            "(storageTopics.status.name); set that input instead of overriding it.",
    },
    {
        name: "override of the advertised host",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "rest.advertised.host.name": "x" } },
        message:
            'workerOverrides["rest.advertised.host.name"]: this worker setting is owned by ConnectCluster ((derived ' +
            "from the pod IP)); set that input instead of overriding it.",
    },
    {
        name: "consumer security setting as an override",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "consumer.sasl.jaas.config": "x" } },
        message:
            'workerOverrides["consumer.sasl.jaas.config"]: Kafka security settings are owned by ConnectCluster; set ' +
            "the `kafkaSecurity` input, which applies them to the worker and its producer, consumer and admin " +
            "clients.",
    },
    {
        name: "override of the REST extensions",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "rest.extension.classes": "x" } },
        message:
            'workerOverrides["rest.extension.classes"]: this worker setting is owned by ConnectCluster (restAuth); ' +
            "set that input instead of overriding it.",
    },
    {
        name: "override of the advertised listener",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "rest.advertised.listener": "x" } },
        message:
            'workerOverrides["rest.advertised.listener"]: this worker setting is owned by ConnectCluster (restTls); ' +
            "set that input instead of overriding it.",
    },
    {
        name: "override of the file config provider",
        rejectedBy: "validateWorkerOverrides",
        args: { ...base, workerOverrides: { "config.providers.file.class": "x" } },
        message:
            'workerOverrides["config.providers.file.class"]: this worker setting is owned by ConnectCluster (config ' +
            "providers); set that input instead of overriding it.",
    },
    {
        name: "secretConfig key with a colon",
        rejectedBy: "validateSecretKeys",
        args: { ...base, connectors: [{ name: "s", config: sink, secretConfig: { "a:b": "x" } }] },
        message: 'connectors["s"].secretConfig["a:b"]: keys may use only a-z, A-Z, 0-9, ".", "_" and "-".',
    },
    {
        name: "restAuth with an empty user name",
        rejectedBy: "validateRestAuthUsers",
        args: { ...base, restAuth: { users: { "": "pw" } }, restAccess: { url: "http://c:8083" } },
        message: 'restAuth.users: user name "" must be 1-200 characters without ":" or whitespace.',
    },
    {
        name: "restAuth with an empty password",
        rejectedBy: "validateRestAuthUsers",
        args: { ...base, restAuth: { users: { ops: "" } }, restAccess: { url: "http://c:8083" } },
        message: 'restAuth.users["ops"]: the password must be a non-empty string.',
    },
    {
        name: "a CA over plaintext",
        rejectedBy: "validateKafkaSecurity",
        args: { ...base, kafkaSecurity: { protocol: "PLAINTEXT", caCertificatePem: "CA" } },
        message: "kafkaSecurity certificates are set but protocol PLAINTEXT does not use TLS: use SSL or SASL_SSL.",
    },
    {
        name: "an unknown security protocol",
        rejectedBy: "validateKafkaSecurity",
        args: { ...base, kafkaSecurity: { protocol: "TLS" as "SSL" } },
        message: 'kafkaSecurity.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (got "TLS").',
    },
];

/** The rows a function rejects. */
export function rejectedBy(...functions: RejectedBy[]): BadInput[] {
    return CATALOGUE.filter((row) => functions.includes(row.rejectedBy));
}

/** The only connector of a row's args. */
export function onlyConnector(row: BadInput) {
    const connectors = row.args.connectors ?? [];
    if (connectors.length !== 1) {
        throw new Error(`${row.name}: expected one connector, got ${connectors.length}`);
    }
    return connectors[0];
}
