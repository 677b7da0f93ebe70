/**
 * The seed deployment as code: the `local-file-sink` Connect cluster (group `local-file-sink`, topics
 * `_local_file_sink.config|.offset|.status`) running one FileStreamSink connector. A function, so the
 * project's program (index.ts) and the end-to-end tests (an Automation API inline program) run the same
 * code. Every setting comes from the stack's config (stacks/Pulumi.<stack>.yaml); the keys are below.
 * With `jdbcSinkUrl` set, the cluster also installs the Debezium JDBC sink plugin and runs a second connector
 * into that database; without it, the stack is the seed's alone.
 */
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { ConnectCluster, ConnectorArgs, KafkaSecurityArgs, PluginArgs } from "../components";

/** The seed's topic and connector. */
export const SEED_TOPIC = "szcode2.qa.avro.server";
export const SEED_CONNECTOR = "local-file-sink";
/** The optional database sink: its connector, its default topic, and the plugin it needs. */
export const JDBC_SINK_CONNECTOR = "jdbc-sink";
export const JDBC_SINK_TOPIC = "orders";
export const JDBC_SINK_PLUGIN = {
    name: "debezium-jdbc",
    maven: "io.debezium:debezium-connector-jdbc:3.4.3.Final:plugin:tar.gz",
    // As `scripts/plugin-checksum <maven>` prints it (checked against Maven Central's .sha512).
    sha512:
        "d746a2d4810613aba26523aa29a495e6786584e1d721d6ab50533ef9905865aa" +
        "7513556e25aee4a3e0086b5584dbedb70121ad4aa3e0baf0c8c4a79b0973cbe9",
} as const;
const JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

export function seedStack() {
    const config = new pulumi.Config();
    const bootstrapServers = config.require("bootstrapServers");
    const apiKey = config.getSecret("kafkaApiKey");
    // A key without its secret would log in with an empty password: fail at preview instead.
    const apiSecret = apiKey === undefined ? undefined : config.requireSecret("kafkaApiSecret");
    const useTls = config.getBoolean("kafkaTls") ?? true;
    // Confluent Cloud API keys are SASL/PLAIN; a self-run Kafka may use SCRAM.
    const mechanism =
        config.get<"PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512">("kafkaSaslMechanism", {
            allowedValues: ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"],
        }) ?? "PLAIN";

    // Credentials for the Kafka provider (topics) and for the workers, from the same secret config.
    const kafkaProvider = new kafka.Provider("kafka", {
        bootstrapServers: bootstrapServers.split(","),
        tlsEnabled: useTls,
        saslMechanism: apiKey ? mechanism.toLowerCase().replace("sha-", "sha") : undefined,
        saslUsername: apiKey,
        saslPassword: apiSecret,
    });
    // The same choice as the Kafka provider's above, so the topics and the workers reach Kafka the same way.
    const kafkaSecurity: KafkaSecurityArgs | undefined =
        apiKey !== undefined && apiSecret !== undefined
            ? {
                  protocol: useTls ? "SASL_SSL" : "SASL_PLAINTEXT",
                  sasl: { mechanism, username: apiKey, password: apiSecret },
              }
            : useTls
              ? { protocol: "SSL" }
              : undefined;
    const restUrl = config.get("restUrl");
    const jdbcSink = jdbcSinkFromConfig(config);

    const cluster = new ConnectCluster(
        "local-file-sink",
        {
            bootstrapServers,
            groupId: "local-file-sink",
            namespace: config.get("namespace") ?? "kafka-connect",
            // Unset keys stay undefined: the component's defaults apply (2 replicas, replication factor 3, ...).
            replicas: config.getNumber("replicas"),
            replicationFactor: config.getNumber("replicationFactor"),
            retainStorageTopicsOnDelete: config.getBoolean("retainStorageTopicsOnDelete"),
            adoptStorageTopics: config.getBoolean("adoptStorageTopics"),
            kafkaSecurity,
            // The FileStream connectors ship in the image but not on the classpath since Kafka 3.2.
            pluginPath: config.getObject<string[]>("pluginPath") ?? [
                "/opt/kafka/libs/connect-file-4.3.1.jar",
                "/opt/kafka/plugins",
            ],
            workerOverrides: config.getObject<Record<string, string>>("workerOverrides"),
            plugins: jdbcSink?.plugins,
            // The CA of a private https plugin repository (`pluginRepository`), when it has one.
            pluginInstaller: { caCertificatePem: config.get("pluginCaCertificatePem") },
            keyConverter: "org.apache.kafka.connect.storage.StringConverter",
            valueConverter: "org.apache.kafka.connect.storage.StringConverter",
            connectors: [
                {
                    name: SEED_CONNECTOR,
                    config: {
                        "connector.class": "FileStreamSink",
                        "tasks.max": config.getNumber("sinkTasksMax") ?? 1,
                        topics: SEED_TOPIC,
                        file: config.get("sinkFile") ?? "/tmp/test.sink.txt",
                    },
                },
                ...(jdbcSink === undefined ? [] : [jdbcSink.connector]),
            ],
            restAccess: restUrl ? { url: restUrl } : undefined,
            rolloutTimeoutSeconds: config.getNumber("rolloutTimeoutSeconds"),
            // For clusters where nothing reports pod readiness (the end-to-end tests' bare API server).
            skipAwait: config.getBoolean("skipAwait"),
        },
        { providers: { kafka: kafkaProvider } },
    );
    return {
        groupId: cluster.groupId,
        storageTopics: cluster.storageTopicNames,
        serviceUrl: cluster.serviceUrl,
        connectorStates: cluster.connectorStates,
    };
}

/**
 * The database sink, when `jdbcSinkUrl` is set: the Debezium JDBC sink plugin (from `pluginRepository`, default Maven
 * Central; its archive's SHA-512 `jdbcSinkPluginSha512`, default the pinned JDBC_SINK_PLUGIN.sha512) and a connector
 * upserting keyed JSON records with schemas from `jdbcSinkTopic` (default "orders") into the table of that name, keyed
 * by the record key's `jdbcSinkKeyField` (default "id"), with `jdbcSinkTasksMax` tasks (default 1). `jdbcSinkUser` and
 * the secret `jdbcSinkPassword` are required then; the password goes in secretConfig only (a file reference in the
 * connector's config).
 */
function jdbcSinkFromConfig(config: pulumi.Config): { plugins: PluginArgs[]; connector: ConnectorArgs } | undefined {
    const url = config.get("jdbcSinkUrl");
    if (url === undefined) {
        return undefined;
    }
    const repository = config.get("pluginRepository");
    return {
        plugins: [
            {
                name: JDBC_SINK_PLUGIN.name,
                artifacts: [
                    {
                        maven: JDBC_SINK_PLUGIN.maven,
                        sha512: config.get("jdbcSinkPluginSha512") ?? JDBC_SINK_PLUGIN.sha512,
                        repository,
                    },
                ],
            },
        ],
        connector: {
            name: JDBC_SINK_CONNECTOR,
            config: {
                "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
                "tasks.max": config.getNumber("jdbcSinkTasksMax") ?? 1,
                topics: config.get("jdbcSinkTopic") ?? JDBC_SINK_TOPIC,
                "connection.url": url,
                "connection.username": config.require("jdbcSinkUser"),
                "insert.mode": "upsert",
                "primary.key.mode": "record_key",
                "primary.key.fields": config.get("jdbcSinkKeyField") ?? "id",
                "schema.evolution": "basic",
                // The cluster's converters are the seed's (strings); this connector reads JSON with schemas.
                "key.converter": JSON_CONVERTER,
                "key.converter.schemas.enable": true,
                "value.converter": JSON_CONVERTER,
                "value.converter.schemas.enable": true,
            },
            secretConfig: { "connection.password": config.requireSecret("jdbcSinkPassword") },
        },
    };
}
