package io.kdflow.core.local;

import java.util.ArrayList;
import java.util.List;

/**
 * The optimizer steps after which a phase evaluates on dev: {@code perEpoch} evenly spaced points per epoch
 * (the paper's two: mid-epoch and at its end), each the first step at or after its share of the epoch's
 * micro-batches. Accumulation carries micro-batches across epoch boundaries, so steps are counted over the
 * whole phase, not per epoch. Steps past the schedule's end are dropped, and its last step is evaluated.
 */
final class EvaluationSchedule {

    /** A dev evaluation after optimizer step {@code step} (1-based count), in epoch {@code epoch} (1-based). */
    record Point(long step, int epoch) {}

    private EvaluationSchedule() {}

    static List<Point> of(int epochs, long microBatchesPerEpoch, int accumulation, int perEpoch, long maxSteps) {
        if (epochs < 1 || microBatchesPerEpoch < 1 || accumulation < 1 || perEpoch < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("evaluation schedule needs positive counts, got " + epochs + ", "
                    + microBatchesPerEpoch + ", " + accumulation + ", " + perEpoch + ", " + maxSteps);
        }
        List<Point> points = new ArrayList<>();
        long last = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int j = 1; j <= perEpoch; j++) {
                long microBatches = ceilDiv(microBatchesPerEpoch * (epoch * (long) perEpoch + j), perEpoch);
                long step = Math.min(ceilDiv(microBatches, accumulation), maxSteps);
                if (step > last) {
                    points.add(new Point(step, epoch + 1));
                    last = step;
                }
            }
        }
        return List.copyOf(points);
    }

    /** Optimizer steps of {@code epochs} epochs. */
    static long totalSteps(int epochs, long microBatchesPerEpoch, int accumulation) {
        return ceilDiv(epochs * microBatchesPerEpoch, accumulation);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
