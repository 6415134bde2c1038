package io.kdflow.evaluator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.EmbeddedKafkaProcess;
import io.kdflow.kafka.broker.FreePort;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.kdflow.service.AcknowledgedDelivery;
import io.kdflow.service.AcknowledgedDelivery.DeliveryCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report published through a broker outage lands on the topic exactly once. The broker is a real KRaft process,
 * SIGKILLed and started again on its ports and data directory (as the kill matrix does); the sends are a real
 * idempotent producer's. This is the evaluator's failure in the matrix's broker row: a restart longer than the send
 * timeout used to fail its checkpoints channel.
 */
class ReportDeliveryThroughBrokerOutageTest {

    private static final Duration ATTEMPT = Duration.ofSeconds(1);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    @TempDir
    static Path brokerData;

    private static EmbeddedKafkaProcess.Builder launcher;
    private static EmbeddedKafkaProcess broker;

    @BeforeAll
    static void startBroker() {
        int[] ports = FreePort.resolveAll(0, 0);
        launcher = EmbeddedKafkaProcess.builder().port(ports[0]).controllerPort(ports[1])
                .partitions(1).dataDir(brokerData.resolve("kafka")).keepData(true);
        broker = launcher.start();
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            kafka.createTopics(1, Topics.EVAL_REPORTS);
        }
    }

    /** A test that failed during its outage must not leave the next one without a broker. */
    @AfterEach
    void brokerUpAgain() throws InterruptedException {
        if (!broker.processHandle().isAlive()) {
            restartBroker();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldSendANewCopyOnlyAfterReadingThatTheLostOneIsNotOnTheTopic() throws Exception {
        CheckpointId id = new CheckpointId("outage-long", ModelRole.STUDENT, 9, "a".repeat(64));
        EvalReport report = TestReports.report(id, Split.DEV, 0.5, true);
        PublishedReports published = PublishedReports.read(consumerProperties(), Duration.ofMinutes(1));
        AtomicInteger checks = new AtomicInteger();
        DeliveryCheck check = published.onTopic(id, Split.DEV, ATTEMPT);
        // the producer gives up on a copy after 3 s: far shorter than the outage below
        try (KafkaProducer<byte[], byte[]> producer = producer(Duration.ofSeconds(3))) {
            CountingSender sender = new CountingSender(producer, report);
            warmUp(producer);
            killBroker();
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> AcknowledgedDelivery.deliver(sender,
                    RecordKeys.keyOf(report), ATTEMPT, GIVE_UP_AFTER, deadline -> {
                        checks.incrementAndGet();
                        return check.onTopic(deadline);
                    }));
            await().atMost(Duration.ofMinutes(1)).until(() -> checks.get() > 0); // the first copy was given up on
            restartBroker();
            delivery.get(2, TimeUnit.MINUTES);

            assertThat(copiesOnTopic(report)).containsExactly(report);
            assertThat(sender.copies()).as("a second copy, after the re-read topic showed the first missing")
                    .isEqualTo(2);
            assertThat(published.contains(id, Split.DEV)).as("not on the topic when the check read it").isFalse();
        }
    }

    @Test
    void shouldWaitForTheCopyInFlightThroughARestartShorterThanTheProducersTimeout() throws Exception {
        CheckpointId id = new CheckpointId("outage-short", ModelRole.TEACHER, 0, "b".repeat(64));
        EvalReport report = TestReports.report(id, Split.TEST, 0.25, false);
        AtomicInteger checks = new AtomicInteger();
        try (KafkaProducer<byte[], byte[]> producer = producer(Duration.ofMinutes(2), Duration.ofMinutes(2))) {
            CountingSender sender = new CountingSender(producer, report);
            warmUp(producer);
            killBroker();
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> AcknowledgedDelivery.deliver(sender,
                    RecordKeys.keyOf(report), ATTEMPT, GIVE_UP_AFTER, deadline -> checks.incrementAndGet() < 0));
            await().atMost(Duration.ofMinutes(1)).until(() -> sender.copies() == 1);
            Thread.sleep(3 * ATTEMPT.toMillis()); // several slices without an acknowledgement: longer than "attempt"
            restartBroker();
            delivery.get(2, TimeUnit.MINUTES);

            assertThat(copiesOnTopic(report)).containsExactly(report);
            assertThat(sender.copies()).as("the producer's own retries delivered the first copy").isEqualTo(1);
            assertThat(checks.get()).as("no copy was given up on").isZero();
        }
    }

    /** pt-sampler's and teacher-service's way (their consumers keep the first copy): every record arrives. */
    @Test
    void aBatchShouldArriveWhole() throws Exception {
        List<EvalReport> batch = List.of(
                TestReports.report(new CheckpointId("batch", ModelRole.STUDENT, 1, "d".repeat(64)), Split.DEV, 1, false),
                TestReports.report(new CheckpointId("batch", ModelRole.STUDENT, 2, "d".repeat(64)), Split.DEV, 2, false),
                TestReports.report(new CheckpointId("batch", ModelRole.STUDENT, 3, "d".repeat(64)), Split.DEV, 3, true));
        try (KafkaProducer<byte[], byte[]> producer = producer(Duration.ofSeconds(3))) {
            List<CountingSender> senders = batch.stream().map(report -> new CountingSender(producer, report)).toList();
            warmUp(producer);
            killBroker();
            CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> AcknowledgedDelivery.deliverAll(
                    List.copyOf(senders), "3 reports", ATTEMPT, GIVE_UP_AFTER));
            // the first record's copy given up on (3 s) and sent again: the outage outlasts the producer's timeout
            await().atMost(Duration.ofMinutes(1)).until(() -> senders.get(0).copies() >= 2 || delivery.isDone());
            restartBroker();
            delivery.get(2, TimeUnit.MINUTES);

            for (EvalReport report : batch) {
                assertThat(copiesOnTopic(report)).as("the copies the producer gave up on never reached the broker")
                        .containsExactly(report);
            }
        }
    }

    @Test
    void shouldNotSendAgainWhenTheCopyWhoseAcknowledgementWasLostIsOnTheTopic() {
        CheckpointId id = new CheckpointId("ack-lost", ModelRole.STUDENT_BASELINE, 3, "c".repeat(64));
        EvalReport report = TestReports.report(id, Split.DEV, 0.75, false);
        PublishedReports published = PublishedReports.read(consumerProperties(), Duration.ofMinutes(1));
        List<String> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(Duration.ofMinutes(2))) {
            // the broker wrote the copy, then the connection dropped before its acknowledgement: the producer
            // reports its delivery timeout, a retriable error
            Supplier<CompletableFuture<Void>> ackLost = () -> {
                sends.add("copy");
                new CountingSender(producer, report).get().join();
                return CompletableFuture.failedFuture(new TimeoutException(
                        "Expiring 1 record(s) for " + Topics.EVAL_REPORTS + "-0: 120000 ms has passed"));
            };
            AcknowledgedDelivery.deliver(ackLost, RecordKeys.keyOf(report), ATTEMPT, GIVE_UP_AFTER,
                    published.onTopic(id, Split.DEV, ATTEMPT));
        }

        assertThat(sends).as("found on the topic, not sent again").hasSize(1);
        assertThat(copiesOnTopic(report)).containsExactly(report);
        assertThat(published.of(id)).isEqualTo(Map.of(Split.DEV, report));
    }

    private static void killBroker() {
        broker.processHandle().destroyForcibly();
        broker.processHandle().onExit().join();
    }

    /** On its ports and data directory; a port the killed broker held may take a moment to be free again. */
    private static void restartBroker() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                broker = launcher.start();
                return;
            } catch (IllegalStateException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(Duration deliveryTimeout) {
        return producer(deliveryTimeout, Duration.ofSeconds(2));
    }

    private static KafkaProducer<byte[], byte[]> producer(Duration deliveryTimeout, Duration maxBlock) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        // with every node gone the client re-bootstraps and forgets the topic: a send then waits for metadata this
        // long (SmallRye's default: a minute), and fails retriably after it
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** One acknowledged send, so that the producer knows the topic's partitions before the broker goes away. */
    private static void warmUp(KafkaProducer<byte[], byte[]> producer) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EVAL_REPORTS, "warm-up".getBytes(StandardCharsets.UTF_8),
                new byte[0])).get(1, TimeUnit.MINUTES);
    }

    private static Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return props;
    }

    /** Every record on the topic with the report's key, decoded. */
    private static List<EvalReport> copiesOnTopic(EvalReport report) {
        byte[] key = RecordKeys.keyOf(report).getBytes(StandardCharsets.UTF_8);
        Properties props = consumerProperties();
        List<EvalReport> copies = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.EVAL_REPORTS, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(record.key(), key)) {
                        copies.add(WireCodecs.EVAL_REPORT.decode(record.value()));
                    }
                }
            }
        }
        return copies;
    }

    /** Sends the report with the real producer and counts the copies sent. */
    private static final class CountingSender implements Supplier<CompletableFuture<Void>> {
        private final KafkaProducer<byte[], byte[]> producer;
        private final EvalReport report;
        private final AtomicInteger copies = new AtomicInteger();

        CountingSender(KafkaProducer<byte[], byte[]> producer, EvalReport report) {
            this.producer = producer;
            this.report = report;
        }

        @Override
        public CompletableFuture<Void> get() {
            copies.incrementAndGet();
            CompletableFuture<Void> acked = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(Topics.EVAL_REPORTS,
                    RecordKeys.keyOf(report).getBytes(StandardCharsets.UTF_8), WireCodecs.EVAL_REPORT.encode(report)),
                    (metadata, failure) -> {
                        if (failure == null) {
                            acked.complete(null);
                        } else {
                            acked.completeExceptionally(failure);
                        }
                    });
            return acked;
        }

        int copies() {
            return copies.get();
        }
    }
}
