package io.kdflow.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadyLineTest {

    @Test
    void shouldReadBackTheBootstrapServersItFormats() {
        String line = ReadyLine.format("127.0.0.1:39092");

        assertThat(line).isEqualTo("KDFLOW_KAFKA_READY bootstrap=127.0.0.1:39092");
        assertThat(ReadyLine.parse(line)).contains("127.0.0.1:39092");
    }

    @Test
    void shouldIgnoreLogLinesWhenTheyAreNotTheReadyLine() {
        assertThat(ReadyLine.parse("12:00:00.000 [main] INFO KafkaBroker - listening")).isEmpty();
        assertThat(ReadyLine.parse("KDFLOW_KAFKA_READY bootstrap=")).isEmpty();
        assertThat(ReadyLine.parse(null)).isEmpty();
    }
}
