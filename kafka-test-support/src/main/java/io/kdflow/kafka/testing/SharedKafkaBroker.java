package io.kdflow.kafka.testing;

import java.util.EnumMap;
import java.util.Map;

/**
 * One broker per mode and test JVM, started on first use and stopped when the JVM exits. Quarkus restarts
 * the application for every test class; sharing saves a broker start (seconds) each time. Tests that share
 * it should use their own topic names and consumer groups.
 */
public final class SharedKafkaBroker {

    private static final Map<KafkaBrokerMode, TestKafkaBroker> BROKERS = new EnumMap<>(KafkaBrokerMode.class);

    private SharedKafkaBroker() {
    }

    /** The shared broker of the mode in {@code -Dkdflow.test.kafka}. */
    public static TestKafkaBroker get() {
        return get(KafkaBrokerMode.fromSystemProperty());
    }

    /** The shared broker of {@code mode}, started now if this is the first call for it. */
    public static synchronized TestKafkaBroker get(KafkaBrokerMode mode) {
        KafkaBrokerMode concrete = TestKafkaBrokers.resolve(mode);
        return BROKERS.computeIfAbsent(concrete, key -> {
            TestKafkaBroker started = TestKafkaBrokers.start(key);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kdflow-test-kafka-shutdown"));
            return started;
        });
    }
}
