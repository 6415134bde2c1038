package io.kdflow.core.compute;

/**
 * Examples generated per minute at the largest batch under the memory cap.
 *
 * @param settings what was measured
 * @param batchSize the batch found under the cap
 * @param estimatedBytes estimated working memory at that batch
 * @param medianCallMillis median wall-clock time of one call at that batch
 * @param examplesPerMinute {@code batchSize x 60 / seconds per call}
 */
public record ThroughputResult(ThroughputSettings settings, int batchSize, long estimatedBytes, double medianCallMillis,
        double examplesPerMinute) {
}
