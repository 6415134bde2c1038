package io.kdflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts real brokers from the broker jar (path in the kdflow.kafka.broker-jar system property). */
class EmbeddedKafkaProcessIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void shouldRoundTripARecordAndDeleteItsDataWhenClosed() throws Exception {
        Path dataDir = tmp.resolve("kafka-data");
        List<String> brokerLog = new CopyOnWriteArrayList<>();
        List<ConsumerRecord<String, String>> records;
        try (EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.builder()
                .dataDir(dataDir).partitions(3).outputSink(brokerLog::add).start()) {
            assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(dataDir.resolve("meta.properties")).isRegularFile();

            RecordMetadata sent = TestClients.send(kafka.bootstrapServers(), "kdflow.round-trip.v1", "job-1", "hello kafka");
            records = TestClients.read(kafka.bootstrapServers(), "kdflow.round-trip.v1", 1, TIMEOUT);

            assertThat(sent.partition()).isBetween(0, 2);
            assertThat(dataDir.resolve("kdflow.round-trip.v1-" + sent.partition())).isDirectory();
        }
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("job-1");
            assertThat(record.value()).isEqualTo("hello kafka");
        });
        assertThat(dataDir).doesNotExist();
        assertThat(brokerLog).as("the broker shut down on SIGTERM rather than being killed")
                .anyMatch(line -> line.endsWith("Kafka broker stopped; data directory deleted"));
    }

    /**
     * A launcher stands where {@code java -jar <broker jar>} would (./kdflow run --containers puts {@code docker run}
     * there): the broker's options follow it, with no parent watch (a container's broker has no parent to watch),
     * and stdin still ties the broker to its launcher.
     */
    @Test
    void shouldStartTheBrokerThroughALauncherWithTheBrokerOptionsAfterIt() throws Exception {
        Path jar = Path.of(System.getProperty(EmbeddedKafkaProcess.BROKER_JAR_PROPERTY));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path dataDir = tmp.resolve("launched");
        List<String> brokerLog = new CopyOnWriteArrayList<>();
        try (EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.builder().dataDir(dataDir).outputSink(brokerLog::add)
                .launcher(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString())).start()) {
            assertThat(kafka.processHandle().info().arguments().orElseThrow()).containsSubsequence("-Xmx256m", "-jar",
                    jar.toString(), "--port", "0", "--exit-on-stdin-eof", "--no-parent-watch", "--data-dir",
                    dataDir.toAbsolutePath().toString());
            TestClients.send(kafka.bootstrapServers(), "kdflow.launcher.v1", "job-1", "launched");
            assertThat(TestClients.read(kafka.bootstrapServers(), "kdflow.launcher.v1", 1, TIMEOUT))
                    .singleElement().satisfies(record -> assertThat(record.value()).isEqualTo("launched"));
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void shouldServeEarlierRecordsAfterRestartWhenDataIsKept() throws Exception {
        Path dataDir = tmp.resolve("kept");
        try (EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.builder().dataDir(dataDir).keepData(true).start()) {
            TestClients.send(kafka.bootstrapServers(), "kdflow.kept.v1", "k", "survives a restart");
        }
        assertThat(dataDir.resolve("meta.properties")).isRegularFile();

        try (EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.builder().dataDir(dataDir).start()) {
            List<ConsumerRecord<String, String>> records =
                    TestClients.read(kafka.bootstrapServers(), "kdflow.kept.v1", 1, TIMEOUT);

            assertThat(records).extracting(ConsumerRecord::value).containsExactly("survives a restart");
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void shouldExplainTheFailureWithTheBrokersOutputWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path dataDir = tmp.resolve("never-used");

            assertThatThrownBy(() -> EmbeddedKafkaProcess.builder().port(port).dataDir(dataDir).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited before it was ready (exit code 1)")
                    .hasMessageContaining("Socket server failed to bind to 127.0.0.1:" + port)
                    .hasMessageContaining("Address already in use");
            assertThat(dataDir).doesNotExist();
        }
    }

    @Test
    void shouldStopTheBrokerWhenTheLaunchingJvmIsKilled() throws Exception {
        Path dataDir = tmp.resolve("orphan-data");
        Process launcher = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpathOf(EmbeddedKafkaProcess.class, BrokerLauncherMain.class),
                BrokerLauncherMain.class.getName(),
                System.getProperty(EmbeddedKafkaProcess.BROKER_JAR_PROPERTY), dataDir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            long brokerPid = readBrokerPid(launcher);
            ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
            assertThat(dataDir.resolve("meta.properties")).isRegularFile();

            launcher.destroyForcibly().waitFor();

            await().atMost(TIMEOUT).until(() -> !broker.isAlive());
            await().atMost(TIMEOUT).until(() -> !Files.exists(dataDir));
        } finally {
            launcher.destroyForcibly();
        }
    }

    private static long readBrokerPid(Process launcher) throws Exception {
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith(BrokerLauncherMain.PID_PREFIX)) {
                return Long.parseLong(line.substring(BrokerLauncherMain.PID_PREFIX.length()));
            }
            seen.add(line);
        }
        throw new AssertionError("the launcher JVM exited without starting a broker; its output: " + seen);
    }

    private static String classpathOf(Class<?>... classes) throws Exception {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : classes) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }
}
