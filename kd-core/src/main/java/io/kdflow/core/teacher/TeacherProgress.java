package io.kdflow.core.teacher;

import java.util.Map;

/** Told how teacher training advances: after every optimizer step and after every dev evaluation. */
public interface TeacherProgress {

    /** A listener that ignores everything. */
    TeacherProgress NONE = step -> { };

    /**
     * @param phase {@code denoising} or {@code fine-tuning}
     * @param step optimizer steps done in this phase
     * @param totalSteps optimizer steps of this phase
     * @param loss the step's mean micro-batch loss
     * @param stepsPerSecond the phase's mean rate so far
     * @param etaSeconds estimated seconds left in this phase
     */
    record Step(String phase, long step, long totalSteps, double loss, double stepsPerSecond, double etaSeconds) {}

    void onStep(Step step);

    /** A dev evaluation after fine-tuning epoch {@code epoch} (1-based). */
    default void onEvaluation(int epoch, Map<String, Double> metrics, boolean best) { }

    /** A notable event (a phase started, the input-sensitivity verdict). */
    default void onNote(String message) { }
}
