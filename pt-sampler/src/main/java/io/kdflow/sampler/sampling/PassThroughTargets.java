package io.kdflow.sampler.sampling;

import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import java.time.Clock;
import java.util.Optional;

/**
 * The plumbing mode of the sampler: forwards an example's gold target unchanged, clearly marked
 * {@code PASS_THROUGH}, so the pipeline can be exercised end to end before any teacher exists.
 */
public final class PassThroughTargets {

    private final String producer;
    private final Clock clock;

    public PassThroughTargets(String producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    /** The example's gold target as a PASS_THROUGH record; empty for an unlabeled example. */
    public Optional<PseudoTarget> of(SourceExample example) {
        if (example.getReferencesCount() == 0) {
            return Optional.empty();
        }
        RecordHeader header = RecordHeader.newBuilder()
                .setSchemaVersion(Wire.SCHEMA_VERSION)
                .setJobId(example.getHeader().getJobId())
                .setProvenance(Provenance.newBuilder()
                        .setProducer(producer)
                        .setConfigHash(example.getHeader().getProvenance().getConfigHash()))
                .setCreatedUnixMs(clock.millis())
                .build();
        return Optional.of(PseudoTarget.newBuilder()
                .setHeader(header)
                .setExampleId(example.getExampleId())
                .setSplit(example.getSplit())
                .setKind(PseudoTarget.Kind.PASS_THROUGH)
                .setPtIndex(0)
                .setNumPseudoTargets(1)
                .setSource(example.getSource())
                .setText(example.getReferences(0))
                .build());
    }
}
