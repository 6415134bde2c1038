package io.kdflow.core.study;

/** Told how a study advances: a line per run, with the study's rate and ETA. */
public interface StudyProgress {

    StudyProgress NONE = new StudyProgress() { };

    /**
     * A run starts, or is reused.
     *
     * @param index 1-based number of this option among the study's options
     * @param total the study's options (an upper bound of the runs: options that are the same job run once)
     * @param secondsPerRun mean wall time of the runs this process has executed so far (NaN before the first)
     * @param etaSeconds the options left times that mean (NaN before the first run)
     */
    default void onRun(PlannedRun run, int index, int total, boolean reused, double secondsPerRun,
            double etaSeconds) { }

    /** A stage finished: its chosen option. */
    default void onStage(StageResult result) { }
}
