package io.kdflow.trainer.training;

import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.util.List;
import java.util.Map;

/** What the trainer does with one job's new (de-duplicated) targets, once the job's settings are known. */
interface JobRun extends AutoCloseable {

    /**
     * Takes one new target; returns the checkpoints it completed.
     *
     * @param nextOffsets "topic/partition" to the next offset to consume, recorded in checkpoints
     */
    List<CheckpointEvent> accept(PseudoTarget target, Map<String, Long> nextOffsets);

    @Override
    void close();
}
