package io.kdflow.core.train;

/** Told after every optimizer step (progress bars, logs, metrics). */
@FunctionalInterface
public interface TrainingListener {

    void onStep(StepReport report);
}
