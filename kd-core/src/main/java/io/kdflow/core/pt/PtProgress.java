package io.kdflow.core.pt;

/** Told after every batch a {@link PseudoTargetGenerator#run} finishes. */
@FunctionalInterface
public interface PtProgress {

    /** Ignores every report. */
    PtProgress NONE = snapshot -> { };

    void update(Snapshot snapshot);

    /**
     * Where a run stands.
     *
     * @param targetsDone    records written so far (GOLD and TEACHER)
     * @param targetsTotal   records the run will write
     * @param inputsDone     distinct inputs that have all their records
     * @param inputsTotal    inputs of the run
     * @param tokens         target tokens written so far (generated or scored)
     * @param elapsedNanos   time since the run started
     */
    record Snapshot(long targetsDone, long targetsTotal, long inputsDone, long inputsTotal, long tokens,
            long elapsedNanos) {

        /** Target tokens per second so far (0 before any time passed). */
        public double tokensPerSecond() {
            return elapsedNanos <= 0 ? 0 : tokens * 1e9 / elapsedNanos;
        }

        /** Records per second so far. */
        public double targetsPerSecond() {
            return elapsedNanos <= 0 ? 0 : targetsDone * 1e9 / elapsedNanos;
        }
    }
}
