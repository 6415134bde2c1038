package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.DenormalFlush;
import java.util.List;

/**
 * One optimizer step over gradient-accumulation micro-batches: each micro-batch's loss, divided by
 * their count, is back-propagated in its own NDManager (so activations are freed batch by batch);
 * then gradients are clipped, the scheduled learning rate applied with AdamW, and gradients zeroed.
 */
public final class Trainer {

    /** Computes a scalar training loss for one micro-batch; arrays it creates belong to {@code manager}. */
    @FunctionalInterface
    public interface LossFunction<B> {
        NDArray loss(NDManager manager, B microBatch);
    }

    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final double maxGradientNorm;
    private final NDManager parent;

    /**
     * @param maxGradientNorm clip threshold (Hugging Face default 1.0); 0 or less disables clipping
     * @param parent manager under which each micro-batch gets a sub-manager
     */
    public Trainer(AdamW optimizer, LearningRateSchedule schedule, double maxGradientNorm, NDManager parent) {
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.maxGradientNorm = maxGradientNorm;
        this.parent = parent;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Runs forward/backward on every micro-batch, then one optimizer update. */
    public <B> StepResult step(List<B> microBatches, LossFunction<B> lossFunction) {
        if (microBatches.isEmpty()) {
            throw new IllegalArgumentException("a training step needs at least one micro-batch");
        }
        DenormalFlush.ensureEnabled();
        double lossSum = 0;
        for (B microBatch : microBatches) {
            try (NDManager manager = parent.newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
                NDArray loss = lossFunction.loss(manager, microBatch);
                lossSum += loss.getFloat();
                Autograd.backward(loss.div(manager.create((float) microBatches.size())));
            }
        }
        double norm = maxGradientNorm > 0 ? optimizer.clipGradientNorm(maxGradientNorm) : Double.NaN;
        long step = optimizer.steps();
        if (maxGradientNorm > 0 && !Double.isFinite(norm)) {
            // An update with such a gradient would turn every weight it touches into NaN, silently.
            List<String> names = optimizer.nonFiniteGradients();
            throw new IllegalStateException("training diverged at optimizer step " + step + " (loss "
                    + lossSum / microBatches.size() + "): non-finite gradients in " + names.size() + " parameters, "
                    + names.subList(0, Math.min(8, names.size())) + "; the weights were left as they were");
        }
        double rate = schedule.rate(step);
        optimizer.step(rate);
        optimizer.zeroGradients();
        return new StepResult(step, lossSum / microBatches.size(), rate, norm);
    }
}
