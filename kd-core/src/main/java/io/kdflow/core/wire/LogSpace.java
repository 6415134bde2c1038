package io.kdflow.core.wire;

/** Numerically stable sums of probabilities given as log-probabilities, in double precision. */
final class LogSpace {

    private static final double LN_HALF = -Math.log(2);

    private LogSpace() {
    }

    /** log(sum_i exp(values[from + i])) for {@code count} values; -inf for none. */
    static double logSumExp(float[] values, int from, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + count; i++) {
            max = Math.max(max, values[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int i = from; i < from + count; i++) {
            sum += Math.exp(values[i] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * log(1 - exp(logMass)), the log of the complement of a probability mass; -inf when the mass is 1 or
     * more (nothing is left, or rounding says so). Uses log(-expm1(x)) near 0 and log1p(-exp(x)) below
     * log(1/2), the two forms that keep full precision in their range.
     */
    static double logOneMinusExp(double logMass) {
        if (logMass >= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return logMass > LN_HALF ? Math.log(-Math.expm1(logMass)) : Math.log1p(-Math.exp(logMass));
    }
}
