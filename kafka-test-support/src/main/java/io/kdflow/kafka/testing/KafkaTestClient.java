package io.kdflow.kafka.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Raw byte[] access to a broker for service tests: create topics, send records, and wait for records to
 * arrive. Reads always start at the beginning of a topic and need no consumer group, so they see
 * everything ever written to it: give each test its own topics on a shared broker.
 */
public final class KafkaTestClient implements AutoCloseable {

    /** How long client calls may block before a test fails. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final String bootstrapServers;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;

    public KafkaTestClient(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must be host:port, got '" + bootstrapServers + "'");
        }
        this.bootstrapServers = bootstrapServers;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics with one replica each; topics that already exist are left as they are. */
    public void createTopics(int partitions, String... topics) {
        List<NewTopic> newTopics = Arrays.stream(topics)
                .map(topic -> new NewTopic(topic, partitions, (short) 1))
                .toList();
        admin().createTopics(newTopics).values().forEach((topic, created) -> {
            try {
                created.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrapServers, e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw failure("creating topic " + topic, e);
            }
        });
    }

    /** The names of all non-internal topics. */
    public Set<String> topics() {
        try {
            return admin().listTopics().names().get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw failure("listing topics", e);
        }
    }

    /** Sends one record without a key and waits for the broker's acknowledgement. */
    public RecordMetadata send(String topic, byte[] value) {
        return send(new ProducerRecord<>(topic, value));
    }

    /** Sends one keyed record and waits for the broker's acknowledgement. */
    public RecordMetadata send(String topic, byte[] key, byte[] value) {
        return send(new ProducerRecord<>(topic, key, value));
    }

    /** Sends a record (headers, partition, timestamp as given) and waits for the acknowledgement. */
    public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer().send(record).get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw failure("sending a record to " + record.topic(), e);
        }
    }

    /** {@link #awaitRecords(String, int, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int count) {
        return awaitRecords(topic, count, DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code topic} from its beginning until at least {@code count} records arrived, waiting for the
     * topic to appear if needed. Returns every record read, in arrival order (per partition: offset order);
     * that can be more than {@code count} when they arrive together.
     *
     * @throws AssertionError when fewer than {@code count} records arrive within {@code timeout}; the
     *                        message says how many did
     */
    public List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int count, Duration timeout) {
        return awaitMatching(topic, count, record -> true, timeout);
    }

    /** The first record of {@code topic} that matches, waiting up to {@link #DEFAULT_TIMEOUT}. */
    public ConsumerRecord<byte[], byte[]> awaitRecord(String topic, Predicate<ConsumerRecord<byte[], byte[]>> match) {
        return awaitMatching(topic, 1, match, DEFAULT_TIMEOUT).get(0);
    }

    /** {@link #awaitMatching(String, int, Predicate, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public List<ConsumerRecord<byte[], byte[]>> awaitMatching(
            String topic, int count, Predicate<ConsumerRecord<byte[], byte[]>> match) {
        return awaitMatching(topic, count, match, DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code topic} from its beginning until at least {@code count} records that match arrived (a
     * shared topic also holds other tests' records). Returns every matching record read, in arrival order.
     *
     * @throws AssertionError when fewer than {@code count} match within {@code timeout}; the message says
     *                        how many did and how many records were read
     */
    public List<ConsumerRecord<byte[], byte[]>> awaitMatching(
            String topic, int count, Predicate<ConsumerRecord<byte[], byte[]>> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<ConsumerRecord<byte[], byte[]>> matching = new ArrayList<>();
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (matching.size() < count && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_INTERVAL)) {
                    read++;
                    if (match.test(record)) {
                        matching.add(record);
                    }
                }
            }
            if (matching.size() < count) {
                throw new AssertionError("expected " + count + " matching records on topic " + topic + " within "
                        + timeout.toMillis() + " ms, got " + matching.size() + " of " + read
                        + " read from partitions " + partitions);
            }
            return matching;
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    /** Partitions of a topic, asking for metadata until the topic exists (the code under test may create it later). */
    private List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> consumer, String topic, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        try {
            return await().atMost(left.isNegative() ? Duration.ZERO : left)
                    .pollInSameThread() // a KafkaConsumer belongs to one thread at a time
                    .pollInterval(POLL_INTERVAL)
                    .until(() -> consumer.partitionsFor(topic, DEFAULT_TIMEOUT).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList(), partitions -> !partitions.isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("topic " + topic + " did not appear on " + bootstrapServers
                    + " within the timeout; topics there: " + topics(), e);
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "kdflow-test-reader-" + UUID.randomUUID(),
                // Reading must not create the topic it waits for: the code under test creates it.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        return admin;
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private IllegalStateException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException(what + " on " + bootstrapServers + " failed: " + cause, cause);
    }
}
