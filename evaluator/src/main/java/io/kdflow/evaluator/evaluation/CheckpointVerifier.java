package io.kdflow.evaluator.evaluation;

import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The plumbing mode of the evaluator: resolves a checkpoint in the model store, verifies it against its
 * manifest and reports what it holds. Throws IllegalArgumentException for a checkpoint that fails.
 */
public final class CheckpointVerifier {

    private final ModelStore store;
    private final String producer;
    private final Clock clock;

    public CheckpointVerifier(ModelStore store, String producer, Clock clock) {
        this.store = store;
        this.producer = producer;
        this.clock = clock;
    }

    public EvalReport verify(CheckpointEvent event) {
        Path directory = store.resolve(event.getUri());
        CheckpointManifest manifest = CheckpointManifest.verify(directory, event.getSha256());
        return EvalReport.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(event.getHeader().getJobId())
                        .setProvenance(Provenance.newBuilder().setProducer(producer).setModelRevision(event.getSha256()))
                        .setCreatedUnixMs(clock.millis()))
                .setRole(event.getRole())
                .setStep(event.getStep())
                .setSplit(Split.DEV)
                .setCheckpointUri(event.getUri())
                .setCheckpointSha256(event.getSha256())
                .putMetrics("checkpoint_files", manifest.files().size())
                .putMetrics("checkpoint_bytes", manifest.totalBytes())
                .build();
    }
}
