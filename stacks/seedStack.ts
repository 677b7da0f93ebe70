/**
 * The seed deployment as code: the `local-file-sink` Connect cluster (group `local-file-sink`, topics
 * `_local_file_sink.config|.offset|.status`) running one FileStreamSink connector. A function, so the
 * project's program (index.ts) and the end-to-end tests (an Automation API inline program) run the same
 * code. Every setting comes from the stack's config (stacks/Pulumi.<stack>.yaml); the keys are below.
 */
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { ConnectCluster, KafkaSecurityArgs } from "../components";

/** The seed's topic and connector. */
export const SEED_TOPIC = "szcode2.qa.avro.server";
export const SEED_CONNECTOR = "local-file-sink";

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
            ],
            restAccess: restUrl ? { url: restUrl } : undefined,
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
