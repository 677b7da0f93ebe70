/**
 * The bad-input catalogue (also in the README's troubleshooting section): each input is rejected
 * when the component is constructed, with a message naming the field and the fix, and nothing is
 * declared. Inputs only Connect or Kafka can judge are in test/integration/pipeline.test.ts.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { recordRegistrations } from "./support/pulumiMocks";

const registrations = recordRegistrations();
type Lib = typeof import("../../components");
type Args = import("../../components").ConnectClusterArgs;
let lib: Lib;

const sink = { "connector.class": "FileStreamSink", topics: "t" };
const base: Args = { bootstrapServers: "broker:9092" };

/** [what is wrong, component name, args, the exact error]. */
const CATALOGUE: [string, string, Args, string][] = [
    [
        "uppercase component name",
        "Sink",
        base,
        'ConnectCluster name "Sink" must be 1-49 characters of lowercase letters, digits and "-", starting with a ' +
            "letter: it names the Kubernetes Deployment, Service and Secret.",
    ],
    [
        "component name too long",
        "a".repeat(50),
        base,
        `ConnectCluster name "${"a".repeat(50)}" must be 1-49 characters of lowercase letters, digits and "-", ` +
            `starting with a letter: it names the Kubernetes Deployment, Service and Secret.`,
    ],
    [
        "bootstrap server without port",
        "c",
        { bootstrapServers: "broker" },
        'bootstrapServers must be a comma-separated list of host:port (got "broker").',
    ],
    [
        "empty bootstrap servers",
        "c",
        { bootstrapServers: "" },
        'bootstrapServers must be a comma-separated list of host:port (got "").',
    ],
    [
        "group id with a space",
        "c",
        { ...base, groupId: "my group" },
        'groupId "my group" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-".',
    ],
    [
        "uppercase namespace",
        "c",
        { ...base, namespace: "Kafka" },
        'namespace "Kafka" is not a valid Kubernetes namespace name (lowercase RFC 1123 label).',
    ],
    ["negative replicas", "c", { ...base, replicas: -1 }, "replicas must be a whole number ≥ 0 (got -1)."],
    ["fractional replicas", "c", { ...base, replicas: 1.5 }, "replicas must be a whole number ≥ 0 (got 1.5)."],
    [
        "replication factor 0",
        "c",
        { ...base, replicationFactor: 0 },
        "replicationFactor must be a whole number ≥ 1 (got 0).",
    ],
    ["REST port 0", "c", { ...base, restPort: 0 }, "restPort must be a whole number ≥ 1 (got 0)."],
    ["REST port above 65535", "c", { ...base, restPort: 70000 }, "restPort must be between 1 and 65535 (got 70000)."],
    [
        "config topic with 2 partitions",
        "c",
        { ...base, storageTopics: { config: { partitions: 2 } } },
        "storageTopics.config.partitions must be 1 (got 2): Kafka Connect requires a single-partition config topic " +
            "to keep connector configs in order.",
    ],
    [
        "non-compacted offset topic",
        "c",
        { ...base, storageTopics: { offset: { config: { "cleanup.policy": "delete" } } } },
        'storageTopics.offset.config["cleanup.policy"] must be "compact" (got "delete"): Connect\'s storage topics ' +
            "must keep the latest value per key forever; remove the setting.",
    ],
    [
        "status topic with 0 partitions",
        "c",
        { ...base, storageTopics: { status: { partitions: 0 } } },
        "storageTopics.status.partitions must be a whole number ≥ 1 (got 0).",
    ],
    [
        "invalid topic name",
        "c",
        { ...base, storageTopics: { config: { name: "a/b" } } },
        'storageTopics.config.name "a/b" is not a valid Kafka topic name: use 1-249 characters from a-z, A-Z, 0-9, ' +
            '".", "_" and "-".',
    ],
    [
        "two storage topics with one name",
        "c",
        { ...base, storageTopics: { offset: { name: "x" }, status: { name: "x" } } },
        "storageTopics: the config, offset and status topics need three different names (got _c.config, x, x).",
    ],
    [
        "override of group.id",
        "c",
        { ...base, workerOverrides: { "group.id": "g" } },
        'workerOverrides["group.id"]: this worker setting is owned by ConnectCluster (groupId); set that input ' +
            "instead of overriding it.",
    ],
    [
        "override of listeners",
        "c",
        { ...base, workerOverrides: { listeners: "http://:9" } },
        'workerOverrides["listeners"]: this worker setting is owned by ConnectCluster (restPort); set that input ' +
            "instead of overriding it.",
    ],
    [
        "misspelled worker setting",
        "c",
        { ...base, workerOverrides: { "offset.flush.intervall.ms": "1" } },
        'workerOverrides["offset.flush.intervall.ms"]: not a Kafka Connect worker setting. Check the spelling, or ' +
            'prefix client settings with "producer.", "consumer." or "admin.".',
    ],
    [
        "security setting as an override",
        "c",
        { ...base, workerOverrides: { "producer.sasl.jaas.config": "x" } },
        'workerOverrides["producer.sasl.jaas.config"]: Kafka security settings are owned by ConnectCluster; set the ' +
            "`kafkaSecurity` input, which applies them to the worker and its producer, consumer and admin clients.",
    ],
    [
        "config provider as an override",
        "c",
        { ...base, workerOverrides: { "config.providers.vault.class": "x" } },
        'workerOverrides["config.providers.vault.class"]: this worker setting is owned by ConnectCluster (config ' +
            "providers); set that input instead of overriding it.",
    ],
    [
        "unknown override policy",
        "c",
        { ...base, connectorClientConfigOverridePolicy: "Some" as "None" },
        'connectorClientConfigOverridePolicy must be "None", "Principal" or "All" (got "Some").',
    ],
    [
        "plugin path with a comma",
        "c",
        { ...base, pluginPath: ["/a,/b"] },
        'pluginPath entries must not contain "," (it separates entries in plugin.path).',
    ],
    [
        "ready timeout 0",
        "c",
        { ...base, connectorReadyTimeoutSeconds: 0 },
        "connectorReadyTimeoutSeconds must be a whole number ≥ 1 (got 0).",
    ],
    [
        "negative rebalance delay",
        "c",
        { ...base, scheduledRebalanceMaxDelayMs: -1 },
        "scheduledRebalanceMaxDelayMs must be a whole number ≥ 0 (got -1).",
    ],
    [
        "connector name with a slash",
        "c",
        { ...base, connectors: [{ name: "a/b", config: sink }] },
        'connectors: name "a/b" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-" (it is used as a ' +
            "Kubernetes Secret key and in REST paths).",
    ],
    [
        "empty connector name",
        "c",
        { ...base, connectors: [{ name: "", config: sink }] },
        'connectors: name "" must be 1-200 characters from a-z, A-Z, 0-9, ".", "_" and "-" (it is used as a ' +
            "Kubernetes Secret key and in REST paths).",
    ],
    [
        "duplicate connector names",
        "c",
        {
            ...base,
            connectors: [
                { name: "s", config: sink },
                { name: "s", config: sink },
            ],
        },
        'connectors: the name "s" is used twice; connector names must be unique in a cluster.',
    ],
    [
        "name inside the config",
        "c",
        { ...base, connectors: [{ name: "s", config: { ...sink, name: "s" } }] },
        'connectors["s"].config must not contain "name": the connector\'s name is set by `name`.',
    ],
    [
        "no connector.class",
        "c",
        { ...base, connectors: [{ name: "s", config: { topics: "t" } }] },
        'connectors["s"].config["connector.class"] is required (e.g. "FileStreamSink" or a fully qualified ' +
            "class name).",
    ],
    [
        "tasks.max 0",
        "c",
        { ...base, connectors: [{ name: "s", config: { ...sink, "tasks.max": 0 } }] },
        'connectors["s"].config["tasks.max"] must be a whole number ≥ 1 (got "0").',
    ],
    [
        "tasks.max not a number",
        "c",
        { ...base, connectors: [{ name: "s", config: { ...sink, "tasks.max": "two" } }] },
        'connectors["s"].config["tasks.max"] must be a whole number ≥ 1 (got "two").',
    ],
    [
        "empty topics",
        "c",
        { ...base, connectors: [{ name: "s", config: { ...sink, topics: "" } }] },
        'connectors["s"].config["topics"] is empty: name at least one topic, or remove the key.',
    ],
    [
        "nested config value",
        "c",
        { ...base, connectors: [{ name: "s", config: { ...sink, extra: { a: 1 } as unknown as string } }] },
        'connectors["s"].config["extra"] must be a string, number or boolean (got object).',
    ],
    [
        "secretConfig key also in config",
        "c",
        { ...base, connectors: [{ name: "s", config: sink, secretConfig: { topics: "x" } }] },
        'connectors["s"].secretConfig["topics"] is also set in config: give each key once, in secretConfig if its ' +
            "value is secret.",
    ],
    [
        "connector.class as a secret",
        "c",
        { ...base, connectors: [{ name: "s", config: sink, secretConfig: { "connector.class": "x" } }] },
        'connectors["s"].secretConfig["connector.class"]: this key cannot be secret; put it in config.',
    ],
    [
        "rename without a choice",
        "c",
        { ...base, connectors: [{ name: "s2", previousName: "s", config: sink }] },
        'connectors["s2"].onRename is required with previousName: "copy-offsets" to continue where "s" stopped, or ' +
            '"reset" to start afresh.',
    ],
    [
        "onRename without previousName",
        "c",
        { ...base, connectors: [{ name: "s", onRename: "reset", config: sink }] },
        'connectors["s"].onRename is set without previousName: give the connector\'s old name, or remove onRename.',
    ],
    [
        "previousName equal to name",
        "c",
        { ...base, connectors: [{ name: "s", previousName: "s", onRename: "reset", config: sink }] },
        'connectors["s"].previousName is the same as name: remove previousName once the rename is done.',
    ],
    [
        "both REST access modes",
        "c",
        { ...base, restAccess: { url: "http://c:8083", kubernetesServiceProxy: {} } },
        "restAccess: give either url or kubernetesServiceProxy, not both.",
    ],
    [
        "REST credentials without a URL",
        "c",
        { ...base, restAccess: { username: "admin" } },
        "restAccess.username, password and caCertificatePem apply to restAccess.url; set url too.",
    ],
    [
        "restAuth through the service proxy",
        "c",
        { ...base, restAuth: { users: { ops: "pw" } } },
        "restAuth needs restAccess.url (an ingress, a VPN or port-forward address): the Kubernetes API server's " +
            "service proxy removes the Authorization header, so the provider's credentials would never reach the " +
            "workers.",
    ],
    [
        "restAuth without users",
        "c",
        { ...base, restAuth: { users: {} }, restAccess: { url: "http://c:8083" } },
        "restAuth.users must name at least one user: Kafka's PropertyFileLoginModule lets everyone in when it has " +
            "no users.",
    ],
    [
        "restAuth user name with a colon",
        "c",
        { ...base, restAuth: { users: { "a:b": "pw" } }, restAccess: { url: "http://c:8083" } },
        'restAuth.users: user name "a:b" must be 1-200 characters without ":" or whitespace.',
    ],
    [
        "restAuth with several users and no restAccess.username",
        "c",
        { ...base, restAuth: { users: { a: "1", b: "2" } }, restAccess: { url: "http://c:8083" } },
        "restAccess.username is required: restAuth.users has 2 users (a, b); name the one the provider logs in as.",
    ],
    [
        "restTls through the API server's proxy",
        "c",
        { ...base, replicas: 1, restTls: { keystorePkcs12Base64: "MA==", keystorePassword: "pw" } },
        "restTls needs restAccess.url (an address the workers' certificate names): through the Kubernetes API " +
            "server's service proxy the request reaches a worker under a host name its certificate cannot name, and " +
            'Jetty refuses it (HTTP 400 "Invalid SNI").',
    ],
    [
        "restTls with 2 replicas",
        "c",
        {
            ...base,
            restTls: { keystorePkcs12Base64: "MA==", keystorePassword: "pw" },
            restAccess: { url: "https://connect.example:8083" },
        },
        "restTls supports at most 1 replica for now (got 2): workers forward requests to the leader at its pod IP, " +
            "and Kafka Connect's HTTPS listener refuses requests whose host its certificate does not name (HTTP 400 " +
            '"Invalid SNI").',
    ],
    [
        "override of the REST listener's TLS",
        "c",
        { ...base, workerOverrides: { "listeners.https.ssl.keystore.location": "/k.p12" } },
        'workerOverrides["listeners.https.ssl.keystore.location"]: this worker setting is owned by ConnectCluster ' +
            "(restTls); set that input instead of overriding it.",
    ],
    [
        "SASL protocol without credentials",
        "c",
        { ...base, kafkaSecurity: { protocol: "SASL_SSL" } },
        "kafkaSecurity.sasl is required with protocol SASL_SSL: give mechanism, username and password.",
    ],
    [
        "credentials with a non-SASL protocol",
        "c",
        { ...base, kafkaSecurity: { protocol: "SSL", sasl: { mechanism: "PLAIN", username: "u", password: "p" } } },
        "kafkaSecurity.sasl is set but protocol SSL does not use SASL: use SASL_SSL or SASL_PLAINTEXT.",
    ],
    [
        "client certificate without its key",
        "c",
        { ...base, kafkaSecurity: { protocol: "SSL", clientCertificatePem: "CERT" } },
        "kafkaSecurity.clientCertificatePem and clientKeyPem go together: give both or neither.",
    ],
    [
        "unknown SASL mechanism",
        "c",
        {
            ...base,
            kafkaSecurity: {
                protocol: "SASL_SSL",
                sasl: { mechanism: "GSSAPI" as "PLAIN", username: "u", password: "p" },
            },
        },
        "kafkaSecurity.sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.",
    ],
    [
        "plugin artifact without a checksum",
        "c",
        {
            ...base,
            plugins: [{ name: "jdbc", artifacts: [{ maven: "io.debezium:debezium-connector-jdbc:3.4.3.Final" }] }],
        },
        "plugins[0].artifacts[0].sha512 is required: the SHA-512 of the file (128 hex characters), checked before it " +
            "is unpacked; get it with `scripts/plugin-checksum <group:artifact:version[:classifier[:type]] or URL>` " +
            "(or `curl -fsSL <url> | sha512sum`).",
    ],
    [
        "plugin downloaded over plain http",
        "c",
        {
            ...base,
            bootstrapServers: "broker:9092",
            plugins: [{ name: "jdbc", artifacts: [{ url: "http://repo.example.com/j.jar", sha512: "a".repeat(128) }] }],
        },
        "plugins[0].artifacts[0].url must use https:// (http:// is accepted only for a loopback host such as " +
            "127.0.0.1).",
    ],
];

describe("bad input catalogue", () => {
    before(async () => {
        lib = await import("../../components");
    });

    it(`has at least 30 entries (${CATALOGUE.length})`, () => {
        assert.ok(CATALOGUE.length >= 30);
    });

    for (const [problem, name, args, message] of CATALOGUE) {
        it(`rejects ${problem}, declaring nothing`, () => {
            const before = registrations.length;
            assert.throws(() => new lib.ConnectCluster(name, args), { message });
            assert.equal(registrations.length, before, "no resource was registered");
        });
    }
});
