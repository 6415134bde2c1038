package io.kdflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SASL/TLS settings a service's hand-made Kafka clients get from its configuration. */
class KafkaClientConfigTest {

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
}
