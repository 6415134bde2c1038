package io.kdflow.core.train;

/** Learning rate as a function of the optimizer step (0 for the first update). */
@FunctionalInterface
public interface LearningRateSchedule {

    double rate(long step);

    static LearningRateSchedule constant(double rate) {
        return step -> rate;
    }
}
