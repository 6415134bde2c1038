package io.kdflow.cli.demo;

import io.kdflow.core.error.BadInputException;
import java.util.Locale;

/**
 * The demo's options, checked against each other when built and against the bundled data by
 * {@link #requireFits}, so that a bad combination fails before anything starts (a trainer whose schedule
 * cannot fit its steps would otherwise die minutes later, after the broker and services came up).
 */
public record DemoSettings(int examples, int devExamples, int batchSize, int checkpoints, int timeoutMinutes) {

    public DemoSettings {
        require(batchSize >= 1, "--batch-size %d: must be at least 1", batchSize);
        require(examples >= 1, "--examples %d: must be at least 1", examples);
        int steps = examples / batchSize;
        require(steps >= DemoJob.WARMUP_STEPS, "--examples %d with --batch-size %d makes %d training steps, fewer than "
                + "the %d steps of the learning-rate warm-up: use --examples %d or more, or a smaller --batch-size",
                examples, batchSize, steps, DemoJob.WARMUP_STEPS, DemoJob.WARMUP_STEPS * batchSize);
        require(checkpoints >= 1 && checkpoints <= steps, "--checkpoints %d: must be between 1 and the %d training "
                + "steps (--examples %d / --batch-size %d)", checkpoints, steps, examples, batchSize);
        require(devExamples >= 1, "--dev-examples %d: must be at least 1", devExamples);
        require(timeoutMinutes >= 1, "--timeout-minutes %d: must be at least 1", timeoutMinutes);
    }

    /** Checks the example counts against the task's files (named in messages as the user should read them). */
    void requireFits(String trainFile, int trainLines, String devFile, int devLines) {
        require(examples <= trainLines, "--examples %d: %s has %d examples; use at most %d", examples, trainFile,
                trainLines, trainLines);
        require(devExamples <= devLines, "--dev-examples %d: %s has %d examples; use at most %d", devExamples, devFile,
                devLines, devLines);
    }

    /** Optimizer steps: the examples that do not fill a last batch are not trained on. */
    int steps() {
        return examples / batchSize;
    }

    int checkpointEverySteps() {
        return Math.max(1, steps() / checkpoints);
    }

    /** Checkpoints the trainer writes: can exceed {@link #checkpoints} when it does not divide the steps. */
    int expectedCheckpoints() {
        return steps() / checkpointEverySteps();
    }

    private static void require(boolean rule, String format, Object... args) {
        if (!rule) {
            throw new BadInputException(String.format(Locale.ROOT, format, args));
        }
    }
}
