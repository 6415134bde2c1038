package io.kdflow.messaging;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The SASL/TLS settings every hand-made Kafka client (admin clients, the CLI's producer and consumers, the
 * services' own consumers and producers) must carry, taken from the same configuration the SmallRye channels
 * read: {@code kafka.security.protocol}, {@code kafka.sasl.*} and {@code kafka.ssl.*} (or their environment
 * variables {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG},
 * {@code KAFKA_SSL_TRUSTSTORE_LOCATION}, ...). Only these keys pass: a client keeps its own serializers,
 * acks and offsets.
 */
public final class KafkaClientSecurity {

    /** Configuration prefix of the Kafka client settings (MicroProfile Config, like SmallRye's global one). */
    public static final String PREFIX = "kafka.";

    private KafkaClientSecurity() {
    }

    /** Whether a Kafka client key (without the {@code kafka.} prefix) is a security setting that must pass. */
    public static boolean isSecurityKey(String clientKey) {
        return clientKey.equals("security.protocol") || clientKey.startsWith("sasl.") || clientKey.startsWith("ssl.");
    }

    /**
     * The security settings among {@code kafka.}-prefixed configuration entries, as client keys
     * ({@code kafka.sasl.mechanism=PLAIN} gives {@code sasl.mechanism=PLAIN}); blank values are left out.
     */
    public static Map<String, String> fromPrefixed(Map<String, String> configuration) {
        Map<String, String> security = new TreeMap<>();
        configuration.forEach((key, value) -> {
            if (key.startsWith(PREFIX) && isSecurityKey(key.substring(PREFIX.length())) && value != null
                    && !value.isBlank()) {
                security.put(key.substring(PREFIX.length()), value);
            }
        });
        return security;
    }

    /**
     * The security settings of a process that has no MicroProfile Config (the CLI): its environment variables
     * ({@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}; Kafka's keys have only dots) overridden by its
     * {@code -Dkafka.*} system properties.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment, Properties systemProperties) {
        Map<String, String> prefixed = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("KAFKA_")) {
                prefixed.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        for (String name : systemProperties.stringPropertyNames()) {
            prefixed.put(name, systemProperties.getProperty(name));
        }
        return fromPrefixed(prefixed);
    }

    /** {@link #fromEnvironment} of this process. */
    public static Map<String, String> ofThisProcess() {
        return fromEnvironment(System.getenv(), System.getProperties());
    }

    /** {@code clientConfig} with the security settings added (a client's own keys are never security keys). */
    public static Map<String, Object> with(Map<String, ?> clientConfig, Map<String, String> security) {
        Map<String, Object> config = new TreeMap<>(clientConfig);
        config.putAll(security);
        return config;
    }
}
