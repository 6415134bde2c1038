package io.kdflow.kafka.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;

/**
 * Drives the resource the way Quarkus does (init, start, inject, stop) against real brokers in process
 * mode; the broker jar comes from -Dkdflow.kafka.broker-jar (root pom).
 */
class KafkaBrokerResourceTest {

    private static final Map<String, String> PROCESS_MODE = Map.of(KafkaBrokerResource.MODE_ARG, "process");

    /** Stands in for a test class with an injected client. */
    static final class TestClassFields {
        @InjectKafkaTestClient
        KafkaTestClient kafka;
        KafkaTestClient notAnnotated;
    }

    private final KafkaBrokerResource resource = new KafkaBrokerResource();
    private final TestClassFields fields = new TestClassFields();
    private Map<String, String> config;

    @BeforeEach
    void startBroker() {
        resource.init(PROCESS_MODE);
        config = resource.start();
        resource.inject(injectorInto(fields));
    }

    @AfterEach
    void stopBroker() {
        resource.stop();
    }

    @Test
    void shouldRoundTripRecordsThroughARealBrokerWhenModeIsProcess() {
        assertThat(config).containsOnlyKeys("kafka.bootstrap.servers");
        assertThat(config.get("kafka.bootstrap.servers")).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(fields.kafka.bootstrapServers()).isEqualTo(config.get("kafka.bootstrap.servers"));
        assertThat(fields.notAnnotated).isNull();

        fields.kafka.createTopics(3, "kdflow.resource-round-trip.v1");
        for (int i = 0; i < 5; i++) {
            fields.kafka.send("kdflow.resource-round-trip.v1", bytes("key-" + i), bytes("value-" + i));
        }
        List<ConsumerRecord<byte[], byte[]>> records = fields.kafka.awaitRecords("kdflow.resource-round-trip.v1", 5);

        assertThat(fields.kafka.topics()).contains("kdflow.resource-round-trip.v1");
        assertThat(records).hasSize(5);
        assertThat(records).extracting(r -> text(r.key()) + "=" + text(r.value()))
                .containsExactlyInAnyOrder("key-0=value-0", "key-1=value-1", "key-2=value-2", "key-3=value-3", "key-4=value-4");
        assertThat(records).extracting(ConsumerRecord::partition).allSatisfy(p -> assertThat(p).isBetween(0, 2));
    }

    @Test
    void shouldShareOneBrokerBetweenResourcesWhenShared() {
        KafkaBrokerResource second = new KafkaBrokerResource();
        second.init(PROCESS_MODE);
        Map<String, String> secondConfig = second.start();
        second.stop();

        assertThat(secondConfig).isEqualTo(config);
        fields.kafka.send("kdflow.shared.v1", bytes("still up after the other resource stopped"));
        assertThat(fields.kafka.awaitRecords("kdflow.shared.v1", 1))
                .extracting(r -> text(r.value())).containsExactly("still up after the other resource stopped");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldShareTheBrokerWithACopyOfThisLibraryInAnotherClassLoader() throws Exception {
        try (URLClassLoader otherLoader = new URLClassLoader(classpathUrls(), ClassLoader.getPlatformClassLoader())) {
            Class<?> sharedCopy = otherLoader.loadClass(SharedKafkaBroker.class.getName());
            Class modeCopy = otherLoader.loadClass(KafkaBrokerMode.class.getName());
            Object bootstrap = sharedCopy.getMethod("bootstrapServers", modeCopy)
                    .invoke(null, Enum.valueOf(modeCopy, "PROCESS"));

            assertThat(sharedCopy).isNotSameAs(SharedKafkaBroker.class);
            assertThat(bootstrap).isEqualTo(config.get("kafka.bootstrap.servers"));
        }
    }

    @Test
    void shouldStopItsOwnBrokerWhenNotShared() {
        KafkaBrokerResource own = new KafkaBrokerResource();
        own.init(Map.of(KafkaBrokerResource.MODE_ARG, "process", KafkaBrokerResource.SHARED_ARG, "false"));
        String bootstrap = own.start().get("kafka.bootstrap.servers");
        String[] hostPort = bootstrap.split(":");

        assertThat(bootstrap).isNotEqualTo(config.get("kafka.bootstrap.servers"));
        assertThat(canConnect(hostPort[0], Integer.parseInt(hostPort[1]))).isTrue();
        own.stop();
        assertThat(canConnect(hostPort[0], Integer.parseInt(hostPort[1]))).isFalse();
    }

    @Test
    void shouldReturnRecordsWhenTheTopicAppearsAfterWaitingStarted() {
        CompletableFuture<List<ConsumerRecord<byte[], byte[]>>> waiting =
                CompletableFuture.supplyAsync(() -> fields.kafka.awaitRecords("kdflow.late-topic.v1", 2));
        fields.kafka.send("kdflow.late-topic.v1", bytes("first"));
        fields.kafka.send("kdflow.late-topic.v1", bytes("second"));

        assertThat(waiting.join()).extracting(r -> text(r.value())).containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void shouldSayHowManyArrivedWhenTooFewRecordsArrive() {
        fields.kafka.createTopics(1, "kdflow.too-few.v1");
        fields.kafka.send("kdflow.too-few.v1", bytes("only one"));

        assertThatThrownBy(() -> fields.kafka.awaitRecords("kdflow.too-few.v1", 2, Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected 2 matching records on topic kdflow.too-few.v1 within 2000 ms, got 1 of 1 read");
    }

    @Test
    void shouldNameTheExistingTopicsWhenTheTopicNeverAppears() {
        fields.kafka.createTopics(1, "kdflow.present.v1");

        assertThatThrownBy(() -> fields.kafka.awaitRecords("kdflow.absent.v1", 1, Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("topic kdflow.absent.v1 did not appear")
                .hasMessageContaining("kdflow.present.v1");
    }

    private static TestInjector injectorInto(Object testInstance) {
        return (value, predicate) -> {
            for (var field : testInstance.getClass().getDeclaredFields()) {
                if (predicate.test(field)) {
                    try {
                        field.setAccessible(true);
                        field.set(testInstance, value);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }

    /** The test JVM's classpath (surefire's booter jar names the rest in its manifest). */
    private static URL[] classpathUrls() throws IOException {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        return urls;
    }

    private static boolean canConnect(String host, int port) {
        try (Socket socket = new Socket(host, port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
