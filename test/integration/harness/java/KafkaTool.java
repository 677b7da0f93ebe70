import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Batched admin, produce and consume operations for the test harness, so one JVM start does all the
 * work of a step. Usage: KafkaTool <bootstrap servers> <request.json>; the request is a JSON array of
 * operations, the answer (one result per operation) is printed to stdout as a JSON array.
 */
public final class KafkaTool {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String bootstrap;
    private final Admin admin;

    private KafkaTool(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    public static void main(String[] args) throws Exception {
        JsonNode request = JSON.readTree(new File(args[1]));
        List<Object> results = new ArrayList<>();
        KafkaTool tool = new KafkaTool(args[0]);
        try {
            for (JsonNode op : request) {
                results.add(tool.run(op));
            }
        } finally {
            tool.admin.close(Duration.ofSeconds(5));
        }
        System.out.println(JSON.writeValueAsString(results));
        System.out.flush();
        System.exit(0);
    }

    private Object run(JsonNode op) throws Exception {
        String name = op.path("op").asText();
        switch (name) {
            case "createTopics": return createTopics(op.path("topics"));
            case "describeTopics": return describeTopics(op.path("names"));
            case "listTopics": return new TreeSet<>(admin.listTopics().names().get());
            case "produce": return produce(op.path("topic").asText(), op.path("records"));
            case "consume": return consume(op.path("topic").asText(), op.path("timeoutMs").asLong(30000),
                    op.path("isolationLevel").asText("read_uncommitted"));
            case "describeGroup": return describeGroup(op.path("groupId").asText());
            default: throw new IllegalArgumentException("unknown operation " + name);
        }
    }

    private Object createTopics(JsonNode topics) throws Exception {
        List<String> created = new ArrayList<>();
        for (JsonNode topic : topics) {
            NewTopic newTopic = new NewTopic(topic.path("name").asText(), topic.path("partitions").asInt(1),
                    (short) topic.path("replicationFactor").asInt(1));
            Map<String, String> config = new HashMap<>();
            topic.path("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            try {
                admin.createTopics(List.of(newTopic.configs(config))).all().get();
                created.add(newTopic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException) || !topic.path("ifNotExists").asBoolean(false)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** Partitions, replication factor and the topic-level configs set explicitly on each topic. */
    private Object describeTopics(JsonNode names) throws Exception {
        List<String> topics = new ArrayList<>();
        names.forEach(n -> topics.add(n.asText()));
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
        List<ConfigResource> resources = new ArrayList<>();
        topics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        List<Object> result = new ArrayList<>();
        for (String topic : topics) {
            TopicDescription d = descriptions.get(topic);
            Map<String, String> explicit = new TreeMap<>();
            for (ConfigEntry entry : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic)).entries()) {
                if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                    explicit.put(entry.name(), entry.value());
                }
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", topic);
            one.put("partitions", d.partitions().size());
            one.put("replicationFactor", d.partitions().get(0).replicas().size());
            one.put("config", explicit);
            result.add(one);
        }
        return result;
    }

    private Object produce(String topic, JsonNode records) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5);
        int sent = 0;
        try (Producer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
            for (JsonNode r : records) {
                Integer partition = r.hasNonNull("partition") ? r.get("partition").asInt() : null;
                String key = r.hasNonNull("key") ? r.get("key").asText() : null;
                String value = r.hasNonNull("value") ? r.get("value").asText() : null;
                acks.add(producer.send(new ProducerRecord<>(topic, partition, key, value)));
            }
            for (java.util.concurrent.Future<RecordMetadata> ack : acks) {
                ack.get();
                sent++;
            }
        }
        return sent;
    }

    /**
     * Every record currently in the topic, from the beginning up to the end offsets seen at the start. With
     * read_committed, records of aborted or still open transactions are skipped, and the end is the last stable
     * offset (before the first open transaction).
     */
    private Object consume(String topic, long timeoutMs, String isolationLevel) throws Exception {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        List<Object> records = new ArrayList<>();
        try (Consumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic + " up to " + end);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("partition", r.partition());
                    one.put("offset", r.offset());
                    one.put("key", r.key());
                    one.put("value", r.value());
                    records.add(one);
                }
            }
        }
        return records;
    }

    /** A consumer group's state, members and per-partition committed offset, end offset and lag (DEAD if no such group). */
    private Object describeGroup(String groupId) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("groupId", groupId);
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
            result.put("state", "DEAD");
            result.put("members", 0);
            result.put("partitions", List.of());
            return result;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        List<Object> partitions = new ArrayList<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            long end = ends.get(e.getKey()).offset();
            long offset = e.getValue() == null ? -1 : e.getValue().offset();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("topic", e.getKey().topic());
            one.put("partition", e.getKey().partition());
            one.put("committedOffset", offset);
            one.put("endOffset", end);
            one.put("lag", offset < 0 ? end : end - offset);
            partitions.add(one);
        }
        // The enum name (STABLE, EMPTY, PREPARING_REBALANCE, ...), not toString()'s "Stable": one spelling with DEAD above.
        result.put("state", group.groupState().name());
        result.put("members", group.members().size());
        result.put("partitions", partitions);
        return result;
    }
}
