package io.kdflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

    @Test
    void shouldPassOnlySecurityKeysWithoutThePrefix() {
        Map<String, String> security = KafkaClientSecurity.fromPrefixed(Map.of(
                "kafka.bootstrap.servers", "b:9092",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required;",
                "kafka.ssl.truststore.location", "/etc/kafka/truststore.p12",
                "kafka.ssl.truststore.password", " ",
                "kafka.acks", "all",
                "sasl.mechanism", "not prefixed"));

        assertThat(security).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "PLAIN"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required;"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"));
    }

    @Test
    void shouldReadTheCliSettingsFromEnvironmentVariablesOverriddenBySystemProperties() {
        Properties system = new Properties();
        system.setProperty("kafka.sasl.mechanism", "SCRAM-SHA-512");
        system.setProperty("user.home", "/home/x");

        Map<String, String> security = KafkaClientSecurity.fromEnvironment(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", "jaas",
                "KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "PATH", "/usr/bin"), system);

        assertThat(security).containsOnly(Map.entry("security.protocol", "SASL_PLAINTEXT"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"), Map.entry("sasl.jaas.config", "jaas"));
    }

    @Test
    void shouldAddTheSettingsToAClientsOwnConfig() {
        Map<String, Object> config = KafkaClientSecurity.with(Map.of("bootstrap.servers", "b:9092", "acks", "all"),
                Map.of("security.protocol", "SSL"));

        assertThat(config).containsOnly(Map.entry("bootstrap.servers", "b:9092"), Map.entry("acks", "all"),
                Map.entry("security.protocol", "SSL"));
    }
}
