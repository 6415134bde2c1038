package io.kdflow.core.train.objective;

import java.util.Arrays;

/**
 * The scale of each term of attention-relation KD (the reference's {@code LossScheduler} with loss_scale on):
 * s = 1 / max(mean of the term over the first N batches, 0.025), so that every term starts near 1 whatever its
 * magnitude. Until N batches have been observed the scales use the mean so far; then they are fixed. N = 0 keeps
 * every scale at 1.
 */
final class RelationLossScales {

    /** The reference's floor on a term's mean, so that a term already near 0 is not blown up. */
    static final double FLOOR = 0.025;

    private final int batches;
    private final double[] sums;
    private int observed;

    RelationLossScales(int terms, int batches) {
        if (terms < 1 || batches < 0) {
            throw new IllegalArgumentException("need >= 1 term and >= 0 batches, got " + terms + " and " + batches);
        }
        this.batches = batches;
        this.sums = new double[terms];
    }

    /** True once the scales no longer change. */
    boolean fixed() {
        return observed >= batches;
    }

    /** Adds one batch's unscaled term values to the means while the scales are not fixed; ignored afterwards. */
    void observe(double[] values) {
        if (values.length != sums.length) {
            throw new IllegalArgumentException("expected " + sums.length + " terms, got " + values.length);
        }
        if (fixed()) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            sums[i] += values[i];
        }
        observed++;
    }

    /** The current scale of every term (all 1 before the first observation and when N = 0). */
    double[] scales() {
        double[] scales = new double[sums.length];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = observed == 0 ? 1 : 1 / Math.max(sums[i] / observed, FLOOR);
        }
        return scales;
    }

    int observed() {
        return observed;
    }

    /** Batches that fix the scales. */
    int batches() {
        return batches;
    }

    /** The sum of every term over the batches observed so far. */
    double[] sums() {
        return sums.clone();
    }

    /** Puts the scales back where {@link #sums} and {@link #observed} stood (a resumed run). */
    void restore(double[] values, int observedBatches) {
        if (values.length != sums.length || observedBatches < 0 || observedBatches > batches) {
            throw new IllegalArgumentException("expected " + sums.length + " sums after at most " + batches
                    + " batches, got " + values.length + " after " + observedBatches);
        }
        System.arraycopy(values, 0, sums, 0, sums.length);
        observed = observedBatches;
    }

    @Override
    public String toString() {
        return "scales " + Arrays.toString(scales()) + " after " + observed + " of " + batches + " batches";
    }
}
