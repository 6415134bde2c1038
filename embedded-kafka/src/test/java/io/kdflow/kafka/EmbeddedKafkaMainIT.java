package io.kdflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the broker jar the way the CLI does: `java -jar <broker jar> ...`. */
class EmbeddedKafkaMainIT {

    @TempDir
    Path tmp;

    @Test
    void shouldStopCleanlyAndDeleteItsDataWhenStdinCloses() throws Exception {
        Path dataDir = tmp.resolve("data");
        Process broker = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", System.getProperty(EmbeddedKafkaProcess.BROKER_JAR_PROPERTY),
                "--data-dir", dataDir.toString(), "--exit-on-stdin-eof")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader stdout = new BufferedReader(
                    new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
            String readyLine = stdout.readLine();

            assertThat(readyLine).matches("KDFLOW_KAFKA_READY bootstrap=127\\.0\\.0\\.1:\\d+");
            assertThat(TestClients.send(ReadyLine.parse(readyLine).orElseThrow(), "kdflow.main.v1", "k", "v").offset())
                    .isZero();

            broker.getOutputStream().close();

            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("broker exited after stdin closed").isTrue();
            assertThat(broker.exitValue()).isZero();
            assertThat(stdout.readLine()).as("nothing but the ready line on stdout").isNull();
            assertThat(dataDir).doesNotExist();
        } finally {
            broker.destroyForcibly();
        }
    }
}
