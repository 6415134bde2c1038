package io.kdflow.core.train;

/**
 * {@code transformers}' {@code get_linear_schedule_with_warmup}: the rate rises linearly from 0 over
 * {@code warmupSteps}, then falls linearly to 0 at {@code totalSteps}. Step 0 is the first update
 * (with warmup it uses rate 0, as there).
 */
public record LinearWarmupDecay(double peakRate, long warmupSteps, long totalSteps) implements LearningRateSchedule {

    public LinearWarmupDecay {
        if (peakRate <= 0 || warmupSteps < 0 || totalSteps <= 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need peakRate > 0 and 0 <= warmupSteps <= totalSteps, totalSteps > 0;"
                    + " got " + peakRate + ", " + warmupSteps + ", " + totalSteps);
        }
    }

    @Override
    public double rate(long step) {
        if (step < warmupSteps) {
            return peakRate * step / Math.max(1, warmupSteps);
        }
        return peakRate * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
