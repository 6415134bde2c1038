package io.kdflow.kafka.testing;

import java.util.Locale;

/**
 * One broker per mode and test JVM, started on first use and stopped when the JVM exits. Sharing saves a
 * broker start (seconds) for every Quarkus application start. Tests that share it should use their own
 * topic names and consumer groups.
 *
 * <p>Quarkus may load this class once per application class loader, so a static field would not be
 * shared: the started broker's address lives in a system property instead, and the lock is an interned
 * string literal, which every class loader sees as the same object.
 */
public final class SharedKafkaBroker {

    /** System property prefix holding a shared broker's bootstrap servers, one per mode. */
    static final String BOOTSTRAP_PROPERTY_PREFIX = "kdflow.test.kafka.shared.";
    private static final String JVM_WIDE_LOCK = "io.kdflow.kafka.testing.SharedKafkaBroker";

    private SharedKafkaBroker() {
    }

    /** The bootstrap servers of the shared broker of the mode in {@code -Dkdflow.test.kafka}. */
    public static String bootstrapServers() {
        return bootstrapServers(KafkaBrokerMode.fromSystemProperty());
    }

    /** The bootstrap servers of the shared broker of {@code mode}, started now if there is none yet. */
    public static String bootstrapServers(KafkaBrokerMode mode) {
        KafkaBrokerMode concrete = TestKafkaBrokers.resolve(mode);
        String property = BOOTSTRAP_PROPERTY_PREFIX + concrete.name().toLowerCase(Locale.ROOT);
        synchronized (JVM_WIDE_LOCK) {
            String running = System.getProperty(property);
            if (running != null) {
                return running;
            }
            TestKafkaBroker broker = TestKafkaBrokers.start(concrete);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kdflow-test-kafka-shutdown"));
            System.setProperty(property, broker.bootstrapServers());
            return broker.bootstrapServers();
        }
    }
}
