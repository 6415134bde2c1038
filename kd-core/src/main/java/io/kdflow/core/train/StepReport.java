package io.kdflow.core.train;

/**
 * Progress after one optimizer step, for listeners (logs, metrics) and checkpoint sinks.
 *
 * @param result what the step did (index, loss, learning rate, gradient norm)
 * @param targetTokens target tokens the step's loss counted
 * @param seconds wall time of the step
 * @param position the data position after the step (what a checkpoint taken now resumes from)
 */
public record StepReport(StepResult result, long targetTokens, double seconds, DataPosition position) {

    /** Optimizer steps completed, this one included. */
    public long stepsDone() {
        return result.step() + 1;
    }

    public double tokensPerSecond() {
        return seconds > 0 ? targetTokens / seconds : 0;
    }
}
