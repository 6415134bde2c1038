package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.wire.proto.Split;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The CLI's own Kafka clients (the job's producer and admin client, the follower's consumer) carry the SASL/TLS
 * settings of {@code -Dkafka.*} / {@code KAFKA_*}: SASL/PLAIN without a JAAS entry makes the real Kafka clients fail
 * to construct (they set up the SASL login before any connection), and with one they construct. No broker needed.
 */
@Isolated
class KafkaSecurityPassThroughTest {

    private static final List<String> KEYS = List.of("kafka.security.protocol", "kafka.sasl.mechanism",
            "kafka.sasl.jaas.config");
    private static final String NOWHERE = "127.0.0.1:1";

    @AfterEach
    void clear() {
        KEYS.forEach(System::clearProperty);
    }

    @Test
    void shouldFailWithoutTheJaasEntryTheSaslSettingsAskFor() {
        System.setProperty("kafka.security.protocol", "SASL_PLAINTEXT");
        System.setProperty("kafka.sasl.mechanism", "PLAIN");

        assertThatThrownBy(() -> new JobSubmission(NOWHERE, Clock.systemUTC()).close())
                .isInstanceOf(KafkaException.class).rootCause().hasMessageContaining("JAAS");
        assertThatThrownBy(() -> new JobFollower(NOWHERE, new JobProgress("job", 1, Split.TEST)).close())
                .isInstanceOf(KafkaException.class).rootCause().hasMessageContaining("JAAS");
    }

    @Test
    void shouldConstructWithTheJaasEntryPassedThrough() {
        System.setProperty("kafka.security.protocol", "SASL_PLAINTEXT");
        System.setProperty("kafka.sasl.mechanism", "PLAIN");
        System.setProperty("kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";");

        assertThatCode(() -> new JobSubmission(NOWHERE, Clock.systemUTC()).close()).doesNotThrowAnyException();
    }
}
