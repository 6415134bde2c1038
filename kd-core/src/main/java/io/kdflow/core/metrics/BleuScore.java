package io.kdflow.core.metrics;

import java.util.List;

/**
 * A BLEU score with the statistics it was computed from, as sacrebleu's {@code BLEUScore} reports them.
 *
 * @param score BLEU on a 0-100 scale
 * @param counts clipped n-gram matches per order 1..4
 * @param totals hypothesis n-grams per order 1..4
 * @param precisions n-gram precisions per order on a 0-100 scale (smoothed where a count is 0; 0 for orders
 *     not reached)
 * @param bp brevity penalty
 * @param sysLen total hypothesis length in 13a tokens
 * @param refLen total effective reference length (closest reference per segment, ties to the shorter)
 */
public record BleuScore(double score, List<Integer> counts, List<Integer> totals, List<Double> precisions,
        double bp, int sysLen, int refLen) {

    /** Copies the lists so the score stays immutable. */
    public BleuScore {
        counts = List.copyOf(counts);
        totals = List.copyOf(totals);
        precisions = List.copyOf(precisions);
    }
}
