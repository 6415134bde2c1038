package io.kdflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGuardRulesTest {

    @Test
    void shouldBeOpenByDefaultWithAOneMebibyteBodyLimit() {
        ApiConfig config = config(Map.of());

        assertThat(config.token()).isEmpty();
        assertThat(config.protectMetrics()).isFalse();
        assertThat(config.maxBodyBytes()).isEqualTo(1_048_576);
        ApiGuard.rules(config).check();
    }

    @Test
    void shouldNameABlankTokenWithoutShowingItAndABadBodyLimit() {
        // Moved here with the token from teacher.api-token (TeacherSettingsCheckTest).
        assertThatThrownBy(() -> ApiGuard.rules(config(Map.of("kdflow.api.token", " ",
                "kdflow.api.max-body-bytes", "0"))).check())
                .isInstanceOf(BadInputException.class).hasMessage(
                        "kdflow.api.token: (hidden) is not allowed (must not be blank; leave it unset for an open API); "
                                + "kdflow.api.max-body-bytes: 0 is not allowed (must be >= 1)");
    }

    @Test
    void shouldPassTheKafkaSecuritySettingsOfTheServiceConfiguration() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "kafka.bootstrap.servers", "b:9092",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", "jaas-from-env",
                "kafka.ssl.truststore.type", "PKCS12",
                "mp.messaging.incoming.jobs.topic", "kdflow.jobs.v1"), "test", 100)).build();

        assertThat(KafkaClientConfig.security(config)).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "PLAIN"),
                Map.entry("sasl.jaas.config", "jaas-from-env"),
                Map.entry("ssl.truststore.type", "PKCS12"));
    }

    private static ApiConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(ApiConfig.class)
                .withSources(new PropertiesConfigSource(values, "test", 100)).build().getConfigMapping(ApiConfig.class);
    }
}
