package io.kdflow.core.compute;

import java.util.Arrays;

/** Summary statistics of timing samples. */
public final class Percentiles {

    private Percentiles() {}

    /** The median: the middle sample, or the mean of the two middle ones for an even count. */
    public static double median(double[] samples) {
        double[] sorted = sorted(samples);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The nearest-rank percentile: the smallest sample with at least {@code p} percent of the samples at or
     * below it ({@code sorted[ceil(p / 100 * n) - 1]}).
     */
    public static double nearestRank(double[] samples, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        double[] sorted = sorted(samples);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static double[] sorted(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted;
    }
}
