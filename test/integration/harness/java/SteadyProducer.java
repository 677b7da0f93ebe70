import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces `<prefix>-0000000`, `<prefix>-0000001`, ... to a topic at a steady rate until SIGTERM, then
 * flushes and prints `SENT <n> ACKED <n> FAILED <n>`: the test then knows exactly which values exist.
 * Idempotent, acks=all, keys spread the values over all partitions. (End-of-file on stdin, i.e. the test
 * process died, halts the JVM through HarnessLauncher's watchdog instead: no summary, nothing to count.)
 * Usage: SteadyProducer <bootstrap servers> <topic> <prefix> <records per second>
 */
public final class SteadyProducer {
    private SteadyProducer() {}

    public static void main(String[] args) throws Exception {
        String topic = args[1];
        String prefix = args[2];
        int perSecond = Integer.parseInt(args[3]);
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "5"),
                new StringSerializer(), new StringSerializer());
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[] sent = {0};
        AtomicBoolean stopping = new AtomicBoolean();
        Thread producing = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            // No interrupt: one could abort a send() half-way and blur the count. The loop checks
            // `stopping` at least every 20 ms.
            try {
                producing.join(10_000);
            } catch (InterruptedException ignored) {
                // shutting down anyway
            }
            producer.flush();
            producer.close();
            System.out.println("SENT " + sent[0] + " ACKED " + acked.get() + " FAILED " + failed.get());
            System.out.flush();
        }));
        long started = System.nanoTime();
        while (!stopping.get()) {
            long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
            while (sent[0] < due && !stopping.get()) {
                String value = String.format("%s-%07d", prefix, sent[0]);
                producer.send(new ProducerRecord<>(topic, "k" + sent[0], value), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
                sent[0]++;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Only SIGTERM ends the loop; the shutdown hook flushes and reports once this thread returns.
    }
}
