package io.kdflow.evaluator.evaluation;

import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.evaluator.config.EvaluatorConfig;
import java.util.Optional;

/**
 * The evaluation settings of a job: the evaluator's config, with every value the job's {@code JobSpec} sets
 * (non-zero, non-empty) taking precedence: {@code evaluation.num_beams}, {@code max_new_tokens},
 * {@code selection_metric}, {@code max_dev_examples}, and {@code training.max_source_tokens} /
 * {@code max_target_tokens} for truncation.
 */
public final class SettingsResolver {

    private SettingsResolver() {}

    public static EvaluationSettings resolve(EvaluatorConfig config, Optional<JobSpec> job) {
        EvaluationSpec evaluation = job.map(JobSpec::getEvaluation).orElse(EvaluationSpec.getDefaultInstance());
        TrainingSpec training = job.map(JobSpec::getTraining).orElse(TrainingSpec.getDefaultInstance());
        return new EvaluationSettings(
                orDefault(evaluation.getNumBeams(), config.numBeams()),
                orDefault(evaluation.getMaxNewTokens(), config.maxNewTokens()),
                orDefault(training.getMaxSourceTokens(), config.maxSourceTokens()),
                orDefault(training.getMaxTargetTokens(), config.maxTargetTokens()),
                config.batchSize(),
                evaluation.getSelectionMetric().isBlank() ? config.selectionMetric() : evaluation.getSelectionMetric(),
                orDefault(evaluation.getMaxDevExamples(), config.maxExamples()),
                config.maxExamples());
    }

    private static int orDefault(int fromJob, int fromConfig) {
        return fromJob > 0 ? fromJob : fromConfig;
    }
}
