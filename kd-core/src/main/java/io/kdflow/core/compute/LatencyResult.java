package io.kdflow.core.compute;

import java.util.List;
import java.util.OptionalLong;

/**
 * Wall-clock time of single-example generation calls.
 *
 * @param settings what was measured
 * @param callMillis every timed call, in call order
 * @param medianMillis the median call
 * @param p90Millis the nearest-rank 90th percentile call
 * @param estimatedPeakBytes {@link GenerationMemory}'s working-memory estimate at batch 1
 * @param peakRssDeltaBytes measured peak resident growth over the timed calls ({@link ResidentMemory}); empty
 *     without {@code /proc}
 */
public record LatencyResult(LatencySettings settings, List<Double> callMillis, double medianMillis, double p90Millis,
        long estimatedPeakBytes, OptionalLong peakRssDeltaBytes) {

    public LatencyResult {
        callMillis = List.copyOf(callMillis);
    }
}
