package io.kdflow.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaProcessTest {

    @TempDir
    Path tmp;

    @Test
    void shouldSayHowToBuildTheJarWhenTheBrokerJarIsMissing() {
        Path missing = tmp.resolve("embedded-kafka-broker.jar");

        assertThatThrownBy(() -> EmbeddedKafkaProcess.builder().brokerJar(missing).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("-pl embedded-kafka -am package");
    }
}
