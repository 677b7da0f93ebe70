/**
 * The bad-input catalogue's rows about the cluster: the component name, bootstrap servers, group id, namespace,
 * replicas, REST port, storage topics, worker overrides, exactly-once, plugin path, plugin installer and timeouts.
 * Part of CATALOGUE (badInputCatalogue.ts), first.
 */
import type { ConnectClusterArgs } from "../../../components";
import type { BadInput } from "./badInputCatalogue";

const base: ConnectClusterArgs = { bootstrapServers: "broker:9092" };

export const CLUSTER_ROWS: readonly BadInput[] = [
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
        name: "rollout timeout shorter than a worker's join",
        rejectedBy: "resolveClusterConfig",
        args: { ...base, rolloutTimeoutSeconds: 5 },
        message: "rolloutTimeoutSeconds must be a whole number ≥ 30 (got 5).",
    },
    {
        name: "plugin installer CA with a private key",
        rejectedBy: "resolveClusterConfig",
        args: {
            ...base,
            pluginInstaller: {
                caCertificatePem:
                    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" +
                    "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
            },
        },
        message:
            'pluginInstaller.caCertificatePem must be one or more PEM certificates ("-----BEGIN CERTIFICATE-----" ' +
            '... "-----END CERTIFICATE-----"), nothing else: the CA certificates, never a private key.',
    },
];
