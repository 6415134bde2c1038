package io.kdflow.core.metrics;

import java.util.Arrays;

/**
 * BLEU's sufficient statistics for one segment or a whole corpus: hypothesis length, the chosen
 * reference length, and clipped matches and totals per n-gram order. Corpus BLEU sums them over segments.
 */
final class BleuStatistics {

    private final int sysLen;
    private final int refLen;
    private final int[] matches;
    private final int[] totals;

    BleuStatistics(int sysLen, int refLen, int[] matches, int[] totals) {
        this.sysLen = sysLen;
        this.refLen = refLen;
        this.matches = matches.clone();
        this.totals = totals.clone();
    }

    /** All-zero statistics, the identity of {@link #plus}. */
    static BleuStatistics zero(int maxOrder) {
        return new BleuStatistics(0, 0, new int[maxOrder], new int[maxOrder]);
    }

    BleuStatistics plus(BleuStatistics other) {
        int[] sumMatches = matches.clone();
        int[] sumTotals = totals.clone();
        for (int i = 0; i < sumMatches.length; i++) {
            sumMatches[i] += other.matches[i];
            sumTotals[i] += other.totals[i];
        }
        return new BleuStatistics(sysLen + other.sysLen, refLen + other.refLen, sumMatches, sumTotals);
    }

    int sysLen() {
        return sysLen;
    }

    int refLen() {
        return refLen;
    }

    int[] matches() {
        return matches.clone();
    }

    int[] totals() {
        return totals.clone();
    }

    @Override
    public String toString() {
        return "BleuStatistics[sysLen=" + sysLen + ", refLen=" + refLen + ", matches=" + Arrays.toString(matches)
                + ", totals=" + Arrays.toString(totals) + "]";
    }
}
