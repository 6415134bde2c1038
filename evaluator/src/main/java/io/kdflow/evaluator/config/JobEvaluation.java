package io.kdflow.evaluator.config;

import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.TaskSettings;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The evaluation settings of one job. A job submitted from a job file ({@code ./kdflow run}) names its data in
 * {@code task_spec}: unless its evaluation section names store URIs, it is evaluated exactly as
 * {@code distill --local} evaluates it (kd-core's {@code LocalDistillation.evaluation()}): the task's dev and test
 * files and sizes, the job's token limits, {@code max_new_tokens} = the target limit, its {@code batch_size}, so that
 * the pipeline's numbers and the local run's agree. Any other job keeps {@link EvaluationSettings#resolve}: its
 * evaluation section over the evaluator's configured defaults.
 */
public final class JobEvaluation {

    private JobEvaluation() {}

    /**
     * @throws io.kdflow.core.error.BadInputException naming the JobSpec field of a bad value
     */
    public static EvaluationSettings resolve(Optional<JobSpec> job, EvaluationSettings.Defaults defaults,
            ModelStore store) {
        Optional<JobSpec> fromTask = job.filter(JobEvaluation::readsTaskFiles);
        if (fromTask.isEmpty()) {
            return EvaluationSettings.resolve(job, defaults, store);
        }
        JobSpec spec = fromTask.get();
        JobSettings settings = JobSettings.resolve(spec);
        TaskSettings task = settings.task().orElseThrow(() -> new IllegalStateException("a task_spec resolves"));
        TrainingSettings training = settings.training();
        EvaluationSpec evaluation = spec.getEvaluation();
        EvaluationSettings.Defaults local = new EvaluationSettings.Defaults(defaults.numBeams(),
                training.maxTargetTokens(), training.maxSourceTokens(), training.maxTargetTokens(),
                evaluation.hasBatchSize() && evaluation.getBatchSize() > 0 ? evaluation.getBatchSize()
                        : defaults.batchSize(),
                defaults.selectionMetric(), defaults.maxExamples(), task.dev().map(Path::of),
                task.test().map(Path::of), defaults.latency(), defaults.throughput());
        EvaluationSettings resolved = EvaluationSettings.resolve(job, local, store);
        return new EvaluationSettings(resolved.numBeams(), resolved.maxNewTokens(), resolved.maxSourceTokens(),
                resolved.maxTargetTokens(), resolved.batchSize(), resolved.selectionMetric(),
                examples(evaluation.getMaxDevExamples(), task.maxDevExamples()),
                examples(evaluation.getMaxTestExamples(), task.maxTestExamples()), resolved.devData(),
                resolved.testData(), resolved.latency(), resolved.throughput());
    }

    /** Whether the job's data are its task files: a dev file in task_spec, no data URI in its evaluation section. */
    public static boolean readsTaskFiles(JobSpec spec) {
        return !spec.getTaskSpec().getDevUri().isEmpty() && spec.getEvaluation().getDevDataUri().isEmpty()
                && spec.getEvaluation().getTestDataUri().isEmpty();
    }

    /** The evaluation section's count, else the task's size, else the whole file (0 = all in both). */
    private static int examples(int evaluationCount, int taskSize) {
        if (evaluationCount > 0) {
            return evaluationCount;
        }
        return taskSize > 0 ? taskSize : Integer.MAX_VALUE;
    }
}
