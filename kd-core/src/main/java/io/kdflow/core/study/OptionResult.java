package io.kdflow.core.study;

import io.kdflow.core.local.Role;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One option of a finished stage.
 *
 * @param run the option's job
 * @param outcome what its run measured
 * @param reused true when the run had finished before this study process (another stage, an earlier study)
 * @param wallSeconds this process's wall time for the run (0 when reused)
 * @param devGap / testGap the mean gap closed (S3 to S8; empty for S1/S2 and where undefined)
 * @param devWins / testWins wins among the stage's options
 */
public record OptionResult(PlannedRun run, RunOutcome outcome, boolean reused, double wallSeconds,
        OptionalDouble devGap, OptionalDouble testGap, int devWins, int testWins) {

    /** The model the stage compares: the distilled student (S3 to S8) or the student fine-tuned on gold (S1, S2). */
    public RunOutcome.Scores student() {
        return outcome.role(studentRole(run.stage()));
    }

    public static Role studentRole(Stage stage) {
        return stage.distills() ? Role.KD_STUDENT : Role.CE_BASELINE;
    }

    public Map<String, Double> dev() {
        return student().dev();
    }

    public Map<String, Double> test() {
        return student().test();
    }
}
