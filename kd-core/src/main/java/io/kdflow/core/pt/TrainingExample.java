package io.kdflow.core.pt;

import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import java.util.Objects;
import java.util.Optional;

/**
 * One (source, target) pair of an epoch: a gold pair or one teacher PT, with the record it came from, so a
 * training loop can batch the token ids (or re-encode the texts) and, for logit KD, read the teacher's
 * sparse distribution on the same target.
 */
public record TrainingExample(PseudoTarget record) {

    public TrainingExample {
        Objects.requireNonNull(record, "record");
    }

    public String exampleId() {
        return record.getExampleId();
    }

    /** TRAIN (labeled input) or UNLABELED. */
    public Split split() {
        return record.getSplit();
    }

    /** GOLD, TEACHER or PASS_THROUGH (gold forwarded without a teacher). */
    public PseudoTarget.Kind kind() {
        return record.getKind();
    }

    /** Which of the input's PTs (0 for gold). */
    public int ptIndex() {
        return record.getPtIndex();
    }

    public String source() {
        return record.getSource();
    }

    public String target() {
        return record.getText();
    }

    /** The source ids the teacher saw (empty when the record carries text only). */
    public long[] sourceIds() {
        return record.getSourceTokenIdsList().stream().mapToLong(Integer::longValue).toArray();
    }

    /** The target's ids (labels), one per distribution row (empty when the record carries text only). */
    public long[] targetIds() {
        return record.getTokenIdsList().stream().mapToLong(Integer::longValue).toArray();
    }

    public boolean hasDistribution() {
        return record.hasDistribution();
    }

    /** The teacher's sparse distribution on the target, decoded (and checked) on each call. */
    public Optional<SparseDistribution> distribution() {
        return record.hasDistribution()
                ? Optional.of(SparseDistribution.fromProto(record.getDistribution())) : Optional.empty();
    }
}
