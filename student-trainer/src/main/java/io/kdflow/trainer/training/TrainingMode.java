package io.kdflow.trainer.training;

import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.util.Optional;

/** What the trainer does with each consumed target. */
public interface TrainingMode extends AutoCloseable {

    /**
     * Takes a target consumed at {@code topic/partition@offset}; returns the checkpoint event when this
     * target completes a checkpoint.
     *
     * @throws IllegalArgumentException when the target cannot be used (it is dead-lettered)
     */
    Optional<CheckpointEvent> accept(PseudoTarget target, String topic, int partition, long offset);

    @Override
    void close();
}
