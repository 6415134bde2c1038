package io.kdflow.trainer.training;

import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TopicPartitionOffset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Seals a checkpoint directory in the model store with its manifest and describes it as a checkpoint
 * event: store URI, manifest sha256 and the input offsets it was trained up to.
 */
public final class CheckpointWriter {

    private final ModelStore store;
    private final String producer;
    private final Clock clock;

    public CheckpointWriter(ModelStore store, String producer, Clock clock) {
        this.store = store;
        this.producer = producer;
        this.clock = clock;
    }

    /** The directory of a student checkpoint: {@code <job>/student/step-<8 digits>}. */
    public Path directoryOf(String jobId, long step) {
        Path directory = store.root().resolve(TargetStore.safeName(jobId)).resolve("student")
                .resolve(String.format("step-%08d", step));
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + directory, e);
        }
    }

    /**
     * Writes the manifest of {@code directory} and returns the event announcing it.
     *
     * @param nextOffsets "topic/partition" to the next offset to consume
     */
    public CheckpointEvent seal(String jobId, long step, Path directory, Map<String, Long> nextOffsets,
            Map<String, String> properties) {
        String sha = CheckpointManifest.write(directory, step, nextOffsets, properties);
        CheckpointEvent.Builder event = CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(jobId)
                        .setProvenance(Provenance.newBuilder().setProducer(producer))
                        .setCreatedUnixMs(clock.millis()))
                .setRole(ModelRole.STUDENT)
                .setStep(step)
                .setUri(store.uriOf(directory).toString())
                .setSha256(sha);
        nextOffsets.forEach((topicPartition, next) -> {
            int slash = topicPartition.lastIndexOf('/');
            event.addConsumed(TopicPartitionOffset.newBuilder()
                    .setTopic(topicPartition.substring(0, slash))
                    .setPartition(Integer.parseInt(topicPartition.substring(slash + 1)))
                    .setOffset(next));
        });
        return event.build();
    }
}
