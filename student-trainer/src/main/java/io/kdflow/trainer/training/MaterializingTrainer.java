package io.kdflow.trainer.training;

import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TopicPartitionOffset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plumbing mode of the trainer: stores every target locally and, every N new targets, writes a
 * checkpoint directory to the model store whose manifest records the consumed offsets (no weights yet).
 */
public final class MaterializingTrainer implements AutoCloseable {

    private final Path dataDir;
    private final ModelStore modelStore;
    private final int checkpointEvery;
    private final String producer;
    private final Clock clock;
    private final Map<String, JobState> jobs = new HashMap<>();

    public MaterializingTrainer(Path dataDir, ModelStore modelStore, int checkpointEvery, String producer, Clock clock) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("trainer.checkpoint-every-records must be >= 1, got " + checkpointEvery);
        }
        this.dataDir = dataDir;
        this.modelStore = modelStore;
        this.checkpointEvery = checkpointEvery;
        this.producer = producer;
        this.clock = clock;
    }

    /**
     * Stores a target consumed at {@code topic/partition@offset}; returns the checkpoint event when this
     * target completes a checkpoint interval.
     */
    public Optional<CheckpointEvent> accept(PseudoTarget target, String topic, int partition, long offset) {
        String jobId = target.getHeader().getJobId();
        JobState job = jobs.computeIfAbsent(jobId, id -> new JobState(new TargetStore(dataDir, id)));
        job.nextOffsets.put(topic + "/" + partition, offset + 1);
        if (!job.store.append(target) || job.store.size() % checkpointEvery != 0) {
            return Optional.empty();
        }
        return Optional.of(checkpoint(jobId, job));
    }

    private CheckpointEvent checkpoint(String jobId, JobState job) {
        long step = job.store.size();
        Path directory = modelStore.root().resolve(TargetStore.safeName(jobId))
                .resolve("student").resolve(String.format("step-%08d", step));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + directory, e);
        }
        String sha = CheckpointManifest.write(directory, step, job.nextOffsets,
                Map.of("mode", "materialize", "targets", Long.toString(step)));
        CheckpointEvent.Builder event = CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(jobId)
                        .setProvenance(Provenance.newBuilder().setProducer(producer))
                        .setCreatedUnixMs(clock.millis()))
                .setRole(ModelRole.STUDENT)
                .setStep(step)
                .setUri(modelStore.uriOf(directory).toString())
                .setSha256(sha);
        job.nextOffsets.forEach((topicPartition, next) -> {
            int slash = topicPartition.lastIndexOf('/');
            event.addConsumed(TopicPartitionOffset.newBuilder()
                    .setTopic(topicPartition.substring(0, slash))
                    .setPartition(Integer.parseInt(topicPartition.substring(slash + 1)))
                    .setOffset(next));
        });
        return event.build();
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
