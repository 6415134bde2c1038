package io.kdflow.core.compute;

/**
 * How throughput is measured: greedy generation of {@code newTokens} tokens at the largest batch whose
 * estimated working memory ({@link GenerationMemory}) fits {@code memoryCapBytes}.
 *
 * @param sourceLength synthetic input tokens S
 * @param newTokens tokens generated per example T
 * @param memoryCapBytes the memory budget (the paper: 16,000 MB)
 * @param maxBatch the largest batch tried, whatever the cap allows
 * @param calls timed calls at that batch after one warm-up call; their median is used
 */
public record ThroughputSettings(int sourceLength, int newTokens, long memoryCapBytes, int maxBatch, int calls) {

    public ThroughputSettings {
        if (sourceLength < 1 || newTokens < 1 || memoryCapBytes < 1 || maxBatch < 1 || calls < 1) {
            throw new IllegalArgumentException("throughput settings must all be >= 1, got sourceLength " + sourceLength
                    + ", newTokens " + newTokens + ", memoryCapBytes " + memoryCapBytes + ", maxBatch " + maxBatch
                    + ", calls " + calls);
        }
    }
}
