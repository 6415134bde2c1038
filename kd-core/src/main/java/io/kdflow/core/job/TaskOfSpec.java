package io.kdflow.core.job;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.TaskSpec;
import java.util.Optional;

/** Resolves {@code JobSpec.task_spec} (and the task name) into {@link TaskSettings}. */
final class TaskOfSpec {

    private static final String FIELD = "JobSpec.task_spec.";
    private static final int MAX_EXAMPLES = Integer.MAX_VALUE;

    private TaskOfSpec() {}

    /** Empty when the spec has no task_spec at all (a streaming job, whose data arrives on Kafka). */
    static Optional<TaskSettings> task(JobSpec spec) {
        if (!spec.hasTaskSpec()) {
            return Optional.empty();
        }
        TaskSpec t = spec.getTaskSpec();
        if (t.getTrainUri().isEmpty()) {
            throw new BadInputException(FIELD + "train_uri: missing (the JSON Lines file of the training pairs)");
        }
        if (!t.getPrompt().isEmpty() && !t.getPrompt().contains(TaskSettings.SOURCE_PLACEHOLDER)) {
            throw new BadInputException(FIELD + "prompt: '" + t.getPrompt() + "' has no "
                    + TaskSettings.SOURCE_PLACEHOLDER + " (the template must place the input)");
        }
        return Optional.of(new TaskSettings(spec.getTask(), t.getTrainUri(), present(t.getDevUri()),
                present(t.getTestUri()), present(t.getUnlabeledUri()),
                count("max_train_examples", t.hasMaxTrainExamples(), t.getMaxTrainExamples()),
                count("max_dev_examples", t.hasMaxDevExamples(), t.getMaxDevExamples()),
                count("max_test_examples", t.hasMaxTestExamples(), t.getMaxTestExamples()),
                count("max_unlabeled_examples", t.hasMaxUnlabeledExamples(), t.getMaxUnlabeledExamples()),
                t.getPrompt()));
    }

    private static int count(String name, boolean present, int value) {
        return SpecField.integer(FIELD + name, present, Integer.toUnsignedLong(value), 0, 0, MAX_EXAMPLES);
    }

    private static Optional<String> present(String uri) {
        return uri.isEmpty() ? Optional.empty() : Optional.of(uri);
    }
}
