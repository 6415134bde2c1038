package io.kdflow.core.compute;

/**
 * How latency is measured: batch 1, greedy, exactly {@code newTokens} generated tokens.
 *
 * @param sourceLength synthetic input tokens S
 * @param newTokens tokens generated per call T (min length = max new tokens)
 * @param warmupCalls untimed calls first (the paper's default: 10)
 * @param calls timed calls (the paper's default: 100; its examples use 25)
 */
public record LatencySettings(int sourceLength, int newTokens, int warmupCalls, int calls) {

    public LatencySettings {
        if (sourceLength < 1 || newTokens < 1 || warmupCalls < 0 || calls < 1) {
            throw new IllegalArgumentException("latency settings need sourceLength >= 1, newTokens >= 1, warmupCalls"
                    + " >= 0 and calls >= 1, got " + sourceLength + ", " + newTokens + ", " + warmupCalls + ", " + calls);
        }
    }
}
