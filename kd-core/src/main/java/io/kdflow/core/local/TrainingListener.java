package io.kdflow.core.local;

import io.kdflow.core.train.StepReport;
import java.nio.file.Path;

/**
 * Told what the training phases (baseline, kd, final-fine-tune) do, on the training thread: every optimizer
 * step, every dev evaluation with the checkpoint it left, every phase's end. The streaming trainer publishes
 * its checkpoint events and gauges from here; {@code distill --local} listens to nothing.
 */
public interface TrainingListener {

    /** Ignores everything. */
    TrainingListener NONE = new TrainingListener() { };

    /**
     * One dev evaluation of a phase.
     *
     * @param phase e.g. {@code kd}
     * @param point the evaluation (step, epoch, dev metrics)
     * @param best whether it is the phase's best so far (then {@code checkpoint} is its {@code best/})
     * @param trainLoss mean training loss of the steps since the previous evaluation (NaN when none)
     * @param tokensPerSecond target tokens per second of those steps (NaN when none)
     * @param checkpoint the checkpoint holding this point's weights: {@code best/} when it was kept, else
     *     {@code last/} (replaced at the next evaluation, deleted at the phase's end)
     */
    record Evaluation(String phase, DevPoint point, boolean best, double trainLoss, double tokensPerSecond,
            Path checkpoint) {}

    /** After each optimizer step of {@code phase}. */
    default void onStep(String phase, StepReport report) { }

    /** After each dev evaluation, once its checkpoints are written. */
    default void onEvaluation(Evaluation evaluation) { }

    /** When a phase is done, or found done before (then {@link PhaseOutcome#reused}). */
    default void onPhaseEnd(PhaseOutcome outcome) { }
}
