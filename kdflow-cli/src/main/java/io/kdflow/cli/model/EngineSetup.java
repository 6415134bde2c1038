package io.kdflow.cli.model;

import io.kdflow.core.model.nn.DenormalFlush;

/**
 * Prepares libtorch before its first use: an explicit intra-op thread count (DJL reads the
 * {@value #THREADS_PROPERTY} system property when the engine starts) and flush-to-zero, which
 * libtorch's worker threads copy from the thread that starts them (docs/model-engine.md).
 */
public final class EngineSetup {

    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private EngineSetup() {}

    /**
     * @param threads the --threads option, or null: then a -D value given to the JVM, else every
     *                available processor
     * @return the thread count in effect for the engine (if it has not started yet)
     */
    public static int configure(Integer threads) {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        String current = System.getProperty(THREADS_PROPERTY);
        int count = threads != null ? threads
                : current != null ? Integer.parseInt(current.strip()) : Runtime.getRuntime().availableProcessors();
        System.setProperty(THREADS_PROPERTY, Integer.toString(count));
        DenormalFlush.ensureEnabled();
        return count;
    }
}
