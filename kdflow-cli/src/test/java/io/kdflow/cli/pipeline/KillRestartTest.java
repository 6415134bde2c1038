package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the kill matrix does to the processes: a service killed with SIGKILL comes back with the same command line
 * and its log continued; the real embedded broker killed with SIGKILL comes back on the same port with its data, and
 * a client that was connected before reads on through the restart.
 */
class KillRestartTest {

    @TempDir
    Path dir;

    @Test
    void shouldRestartAKilledServiceWithItsCommandLineAndContinueItsLog() throws Exception {
        Path log = dir.resolve("logs/echo.log");
        try (LocalCluster cluster = LocalCluster.of(dir.resolve("logs"))) {
            ServiceProcess first = ServiceProcess.start("echo", List.of("sh", "-c", "echo started; sleep 600"), dir, 1,
                    log);
            cluster.add(first);
            awaitLines(log, 1);

            ServiceProcess dead = cluster.killService("echo");
            ServiceProcess second = cluster.restartService(dead);
            awaitLines(log, 4);

            assertThat(first.isAlive()).isFalse();
            assertThat(first.handle().pid()).isNotEqualTo(second.handle().pid());
            assertThat(second.isAlive()).isTrue();
            assertThat(cluster.service("echo")).isSameAs(second);
            assertThat(Files.readAllLines(log)).containsExactly("started", "",
                    "---- kdflow: echo restarted after kill -9 ----", "started");
        }
    }

    @Test
    void shouldBringAKilledBrokerBackOnItsPortWithItsRecords() throws Exception {
        Path home = Path.of(System.getProperty("kdflow.home", "..")).toAbsolutePath().normalize();
        try (LocalCluster cluster = LocalCluster.startBroker(home, dir)) {
            String servers = cluster.bootstrapServers();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ACKS_CONFIG, "all"),
                    new ByteArraySerializer(), new ByteArraySerializer());
                    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
                            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                producer.send(new ProducerRecord<>("chaos.test", 0, null, bytes("before"))).get();
                TopicPartition partition = new TopicPartition("chaos.test", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                assertThat(poll(consumer, 1)).containsExactly("before");

                cluster.killBroker();
                cluster.restartBroker();
                producer.send(new ProducerRecord<>("chaos.test", 0, null, bytes("after"))).get();

                assertThat(cluster.bootstrapServers()).isEqualTo(servers);
                assertThat(poll(consumer, 1)).as("the consumer connected before the kill reads on").containsExactly(
                        "after");
                consumer.seekToBeginning(List.of(partition));
                assertThat(poll(consumer, 2)).as("the record written before the kill survived it")
                        .containsExactly("before", "after");
            }
        }
    }

    private static List<String> poll(KafkaConsumer<byte[], byte[]> consumer, int count) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void awaitLines(Path log, int lines) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((!Files.exists(log) || Files.readAllLines(log).size() < lines) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
