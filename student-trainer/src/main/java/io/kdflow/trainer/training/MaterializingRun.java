package io.kdflow.trainer.training;

import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.util.List;
import java.util.Map;

/**
 * The plumbing mode: every {@code training.checkpoint_every_steps} new targets (a target counts as a step)
 * a checkpoint directory whose manifest records the consumed offsets, with no weights.
 */
final class MaterializingRun implements JobRun {

    private final String jobId;
    private final CheckpointWriter checkpoints;
    private final int checkpointEvery;
    private long targets;

    MaterializingRun(String jobId, CheckpointWriter checkpoints, int checkpointEvery) {
        this.jobId = jobId;
        this.checkpoints = checkpoints;
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public List<CheckpointEvent> accept(PseudoTarget target, Map<String, Long> nextOffsets) {
        targets++;
        if (targets % checkpointEvery != 0) {
            return List.of();
        }
        return List.of(checkpoints.seal(jobId, targets, checkpoints.directoryOf(jobId, targets), nextOffsets,
                Map.of("mode", "materialize", "targets", Long.toString(targets))));
    }

    @Override
    public void close() {
        // nothing held
    }
}
