package io.kdflow.kafka.testing;

import java.util.Locale;

/** Which broker the tests get; chosen by the {@value #PROPERTY} system property. */
public enum KafkaBrokerMode {

    /** Testcontainers when a Docker engine answers and has the broker image, else the broker process. The default. */
    AUTO,
    /** A real broker in a child JVM, started from the embedded-kafka broker jar. Needs no Docker. */
    PROCESS,
    /** The same broker in a container of the locally built kdflow/embedded-kafka image, through Testcontainers. */
    TESTCONTAINERS;

    public static final String PROPERTY = "kdflow.test.kafka";

    /** The mode named by the system property; AUTO when it is unset or blank. */
    public static KafkaBrokerMode fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    /**
     * Parses a mode name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the property and the accepted values
     */
    public static KafkaBrokerMode parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + " is not a broker mode; use auto, process or testcontainers", e);
        }
    }
}
