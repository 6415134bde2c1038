package io.kdflow.kafka;

import java.util.Optional;

/**
 * The one line the broker prints on stdout when clients can connect:
 * {@code KDFLOW_KAFKA_READY bootstrap=127.0.0.1:<port>}. Launchers wait for it.
 */
public final class ReadyLine {

    public static final String PREFIX = "KDFLOW_KAFKA_READY bootstrap=";

    private ReadyLine() {
    }

    public static String format(String bootstrapServers) {
        return PREFIX + bootstrapServers;
    }

    /** The bootstrap servers when {@code line} is the ready line, else empty. */
    public static Optional<String> parse(String line) {
        if (line == null || !line.startsWith(PREFIX) || line.length() == PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(line.substring(PREFIX.length()).trim());
    }
}
