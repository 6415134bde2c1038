package io.kdflow.service;

import io.kdflow.messaging.KafkaClientSecurity;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The SASL/TLS settings of a service's hand-made Kafka clients: the {@code kafka.security.protocol},
 * {@code kafka.sasl.*} and {@code kafka.ssl.*} entries of the service's configuration (application.properties,
 * {@code KAFKA_*} environment variables, system properties), which SmallRye already gives every channel. A client
 * a service builds itself adds {@link #security()} to its own settings, so it reaches a secured cluster too.
 */
public final class KafkaClientConfig {

    private KafkaClientConfig() {
    }

    /** The security settings as client keys ({@code sasl.mechanism}, ...) of the running service's configuration. */
    public static Map<String, String> security() {
        return security(ConfigProvider.getConfig());
    }

    static Map<String, String> security(Config config) {
        Map<String, String> prefixed = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            // Environment variables are listed by their own names (KAFKA_SASL_JAAS_CONFIG); Kafka keys have only dots.
            String key = name.startsWith("KAFKA_") ? name.toLowerCase(Locale.ROOT).replace('_', '.') : name;
            if (key.startsWith(KafkaClientSecurity.PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(value -> prefixed.put(key, value));
            }
        }
        return KafkaClientSecurity.fromPrefixed(prefixed);
    }
}
