package io.kdflow.core.job;

/**
 * The largest values a service accepts from a JobSpec (its config may lower them, e.g. to fit memory).
 *
 * @param maxBatchSize examples per micro-batch
 * @param maxTokens source and target tokens per example
 * @param maxTotalSteps optimizer steps of one run
 * @param maxPseudoTargets K, pseudo-targets per input
 */
public record JobLimits(int maxBatchSize, int maxTokens, long maxTotalSteps, int maxPseudoTargets) {

    /** 4096 examples, 4096 tokens, 10 million steps, 64 PTs. */
    public static final JobLimits DEFAULT = new JobLimits(4096, 4096, 10_000_000L, 64);

    public JobLimits {
        if (maxBatchSize < 1 || maxTokens < 2 || maxTotalSteps < 1 || maxPseudoTargets < 0) {
            throw new IllegalArgumentException("job limits must be positive, got " + maxBatchSize + ", " + maxTokens
                    + ", " + maxTotalSteps + ", " + maxPseudoTargets);
        }
    }
}
