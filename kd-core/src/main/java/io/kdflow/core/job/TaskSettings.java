package io.kdflow.core.job;

import java.util.Optional;

/**
 * The task's data and prompt ({@code JobSpec.task} and {@code task_spec}), resolved. Token limits are in
 * {@link TrainingSettings}. Locations are as the spec gives them: file paths (a job file made them absolute)
 * or model-store URIs.
 *
 * @param name task name, e.g. "shakespeare"
 * @param train JSON Lines of the labeled training pairs
 * @param dev dev set (selection), if any
 * @param test test set (report), if any
 * @param unlabeled unlabeled inputs (PTs, denoising pre-training), if any
 * @param maxTrainExamples examples used of train, the first of the file; 0 = all
 * @param maxDevExamples of dev; 0 = all
 * @param maxTestExamples of test; 0 = all
 * @param maxUnlabeledExamples of unlabeled; 0 = all
 * @param prompt decoder-only prompt template with "{source}"; empty = the source as is
 */
public record TaskSettings(String name, String train, Optional<String> dev, Optional<String> test,
        Optional<String> unlabeled, int maxTrainExamples, int maxDevExamples, int maxTestExamples,
        int maxUnlabeledExamples, String prompt) {

    /** What a prompt template must contain. */
    public static final String SOURCE_PLACEHOLDER = "{source}";

    public TaskSettings {
        if (train.isEmpty() || maxTrainExamples < 0 || maxDevExamples < 0 || maxTestExamples < 0
                || maxUnlabeledExamples < 0) {
            throw new IllegalArgumentException("inconsistent task settings: " + train);
        }
    }

    /** The prompt of one input: the template with the source in place, or the source itself. */
    public String prompt(String source) {
        return prompt.isEmpty() ? source : prompt.replace(SOURCE_PLACEHOLDER, source);
    }
}
