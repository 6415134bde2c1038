package io.kdflow.core.job;

/**
 * How often the dev set is evaluated ({@code JobSpec.evaluation.evaluations_per_epoch}); the metric and
 * decoding are {@code io.kdflow.core.eval.EvaluationSettings}', whether a phase continues from its best dev
 * checkpoint is {@link TrainingSettings#selectOnDev()}.
 *
 * @param evaluationsPerEpoch dev evaluations per epoch
 */
public record SelectionSettings(int evaluationsPerEpoch) {

    /** Twice per epoch (the paper's: near 55% and at the end of every epoch). */
    public static final SelectionSettings DEFAULTS = new SelectionSettings(2);

    public SelectionSettings {
        if (evaluationsPerEpoch < 1) {
            throw new IllegalArgumentException("evaluations per epoch must be >= 1, got " + evaluationsPerEpoch);
        }
    }
}
