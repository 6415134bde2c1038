package io.kdflow.core.local;

import java.util.List;

/**
 * What a training phase with dev selection produced.
 *
 * @param phase the phase's name
 * @param steps optimizer steps at its end (counted from the start of the schedule)
 * @param best the selected dev evaluation
 * @param bestDir the selected checkpoint (a Hugging Face directory with the resume state and provenance.json)
 * @param evaluations every dev evaluation of the phase, in order
 * @param stoppedEarly whether early stopping ended it
 * @param wallSeconds wall time of the phase (of the run that finished it)
 * @param reused whether a finished phase was found and reused (no training in this run)
 */
public record PhaseOutcome(String phase, long steps, DevPoint best, String bestDir, List<DevPoint> evaluations,
        boolean stoppedEarly, double wallSeconds, boolean reused) {

    public PhaseOutcome {
        evaluations = List.copyOf(evaluations);
    }

    PhaseOutcome asReused() {
        return new PhaseOutcome(phase, steps, best, bestDir, evaluations, stoppedEarly, wallSeconds, true);
    }
}
