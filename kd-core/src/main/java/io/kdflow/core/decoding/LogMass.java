package io.kdflow.core.decoding;

/** Log-space sums in double precision. */
final class LogMass {

    private static final double LN_HALF = -Math.log(2);

    private LogMass() {}

    /** log(1 - sum_i exp(logProbs[i])): the log-mass outside the given tokens; -inf when nothing is left. */
    static float complement(float[] logProbs) {
        double max = Double.NEGATIVE_INFINITY;
        for (float value : logProbs) {
            max = Math.max(max, value);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return 0f; // the tokens hold no mass: all of it is elsewhere
        }
        double sum = 0;
        for (float value : logProbs) {
            sum += Math.exp(value - max);
        }
        double logMass = max + Math.log(sum);
        if (logMass >= 0) {
            return Float.NEGATIVE_INFINITY;
        }
        // log(-expm1(x)) keeps precision near 0, log1p(-exp(x)) below log(1/2)
        return (float) (logMass > LN_HALF ? Math.log(-Math.expm1(logMass)) : Math.log1p(-Math.exp(logMass)));
    }
}
