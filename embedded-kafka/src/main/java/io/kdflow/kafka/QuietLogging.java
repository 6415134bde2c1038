package io.kdflow.kafka;

import java.util.Map;

/**
 * Default slf4j-simple settings for the broker JVM and the CLI: Kafka internals at WARN, kdflow's own lines at INFO,
 * all on stderr so that stdout carries only the ready line. A -D flag of the same name wins.
 */
public final class QuietLogging {

    private static final Map<String, String> DEFAULTS = Map.of(
            "org.slf4j.simpleLogger.defaultLogLevel", "warn",
            "org.slf4j.simpleLogger.log.io.kdflow", "info",
            "org.slf4j.simpleLogger.logFile", "System.err",
            "org.slf4j.simpleLogger.showDateTime", "true",
            "org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS",
            "org.slf4j.simpleLogger.showShortLogName", "true",
            // Benign WARNs on every start ("controller activation ... metadata log appears to be empty")
            // and every stop ("closing a NetworkClient that has already been closed").
            "org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController", "error",
            "org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error",
            // DJL probes for CUDA on every engine start; on a CPU machine that is noise, not a warning.
            "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");

    private QuietLogging() {
    }

    /** Must run before the first logger is created: slf4j-simple reads its settings once. */
    public static void applyDefaults() {
        DEFAULTS.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }
}
