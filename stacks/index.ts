/**
 * The seed deployment as code: the `local-file-sink` Connect cluster (group `local-file-sink`,
 * topics `_local_file_sink.config|.offset|.status`) running one FileStreamSink connector.
 * Per-environment settings live in stacks/Pulumi.<stack>.yaml.
 */
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { ConnectCluster, KafkaSecurityArgs } from "../components";

const config = new pulumi.Config();
const bootstrapServers = config.require("bootstrapServers");
const apiKey = config.getSecret("kafkaApiKey");
const apiSecret = config.getSecret("kafkaApiSecret");
const useTls = config.getBoolean("kafkaTls") ?? true;

// Credentials for the Kafka provider (topics) and for the workers, from the same secret config.
const kafkaProvider = new kafka.Provider("kafka", {
    bootstrapServers: bootstrapServers.split(","),
    tlsEnabled: useTls,
    saslMechanism: apiKey ? "plain" : undefined,
    saslUsername: apiKey,
    saslPassword: apiSecret,
});
const kafkaSecurity: KafkaSecurityArgs | undefined = apiKey
    ? { protocol: useTls ? "SASL_SSL" : "SASL_PLAINTEXT", sasl: { mechanism: "PLAIN", username: apiKey, password: apiSecret ?? "" } }
    : undefined;

const restUrl = config.get("restUrl");

export const cluster = new ConnectCluster(
    "local-file-sink",
    {
        bootstrapServers,
        groupId: "local-file-sink",
        namespace: config.get("namespace") ?? "kafka-connect",
        replicas: config.getNumber("replicas") ?? 2,
        replicationFactor: config.getNumber("replicationFactor") ?? 3,
        kafkaSecurity,
        // The FileStream connectors ship in the image but not on the classpath since Kafka 3.2.
        pluginPath: ["/opt/kafka/libs/connect-file-4.1.1.jar", "/opt/kafka/plugins"],
        keyConverter: "org.apache.kafka.connect.storage.StringConverter",
        valueConverter: "org.apache.kafka.connect.storage.StringConverter",
        connectors: [
            {
                name: "local-file-sink",
                config: {
                    "connector.class": "FileStreamSink",
                    "tasks.max": "1",
                    topics: "szcode2.qa.avro.server",
                    file: "/tmp/test.sink.txt",
                },
            },
        ],
        restAccess: restUrl ? { url: restUrl } : undefined,
    },
    { providers: { kafka: kafkaProvider } },
);

export const groupId = cluster.groupId;
export const storageTopics = cluster.storageTopicNames;
export const serviceUrl = cluster.serviceUrl;
export const connectorStates = cluster.connectorStates;
