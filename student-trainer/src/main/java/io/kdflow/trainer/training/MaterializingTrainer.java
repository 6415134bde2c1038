package io.kdflow.trainer.training;

import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plumbing mode of the trainer: stores every target locally and, every N new targets, writes a
 * checkpoint directory to the model store whose manifest records the consumed offsets (no weights).
 */
public final class MaterializingTrainer implements TrainingMode {

    private final Path dataDir;
    private final CheckpointWriter checkpoints;
    private final int checkpointEvery;
    private final Map<String, JobState> jobs = new HashMap<>();

    public MaterializingTrainer(Path dataDir, CheckpointWriter checkpoints, int checkpointEvery) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("trainer.checkpoint-every-records must be >= 1, got " + checkpointEvery);
        }
        this.dataDir = dataDir;
        this.checkpoints = checkpoints;
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public Optional<CheckpointEvent> accept(PseudoTarget target, String topic, int partition, long offset) {
        String jobId = target.getHeader().getJobId();
        JobState job = jobs.computeIfAbsent(jobId, id -> new JobState(new TargetStore(dataDir, id)));
        job.nextOffsets.put(topic + "/" + partition, offset + 1);
        if (!job.store.append(target) || job.store.size() % checkpointEvery != 0) {
            return Optional.empty();
        }
        long step = job.store.size();
        return Optional.of(checkpoints.seal(jobId, step, checkpoints.directoryOf(jobId, step), job.nextOffsets,
                Map.of("mode", "materialize", "targets", Long.toString(step))));
    }

    @Override
    public void close() {
        jobs.values().forEach(job -> job.store.close());
    }

    private static final class JobState {
        final TargetStore store;
        final Map<String, Long> nextOffsets = new TreeMap<>();

        JobState(TargetStore store) {
            this.store = store;
        }
    }
}
