package io.kdflow.core.train;

/**
 * Called every N optimizer steps (the checkpoint cadence) with the loop, whose {@link TrainingLoop#save}
 * writes the full resume state into the directory the sink chooses.
 */
@FunctionalInterface
public interface CheckpointSink {

    void checkpoint(TrainingLoop loop, StepReport last);
}
