package io.kdflow.trainer.training;

import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TopicPartitionOffset;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Seals a checkpoint directory of the model store with its manifest and completes the checkpoint event that
 * announces it: header, store URI, the manifest's sha256 and the input offsets it was trained up to.
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

    public ModelStore store() {
        return store;
    }

    /**
     * Writes the manifest of {@code directory} and returns {@code event} completed.
     *
     * @param event role, step, epoch, final flag, phase and metrics already set
     * @param nextOffsets "topic/partition" to the next offset to consume
     */
    public CheckpointEvent seal(String jobId, CheckpointEvent.Builder event, Path directory,
            Map<String, Long> nextOffsets, Map<String, String> properties) {
        String sha = CheckpointManifest.write(directory, event.getStep(), nextOffsets, properties);
        event.setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(jobId)
                        .setProvenance(Provenance.newBuilder().setProducer(producer))
                        .setCreatedUnixMs(clock.millis()))
                .setUri(store.uriOf(directory).toString())
                .setSha256(sha)
                .clearConsumed();
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
