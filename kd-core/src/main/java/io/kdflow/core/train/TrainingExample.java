package io.kdflow.core.train;

import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.TeacherDistribution;
import java.util.Objects;
import java.util.Optional;

/**
 * One training pair, as every data source delivers it (the PT file's epoch plan, the streaming trainer's
 * topic, plain text pairs): a {@link PseudoTarget} record, a gold pair or one teacher PT. Objectives read
 * what they need: cross-entropy the texts or ids, sparse logit KD the teacher distribution the record
 * carries, Joint-Teaching the source.
 *
 * <p>When the record carries token ids, batches are built from them (the ids the teacher's distribution
 * rows belong to); otherwise the texts are encoded.
 *
 * @param record the record; text-only pairs are GOLD records of split TRAIN without ids or distribution
 */
public record TrainingExample(PseudoTarget record) {

    public TrainingExample {
        Objects.requireNonNull(record, "record");
    }

    /** A pair with a teacher distribution over the target's tokens (the default instance for none). */
    public TrainingExample(String exampleId, String source, String target, TeacherDistribution teacher) {
        this(textRecord(exampleId, source, target, teacher));
    }

    /** A text pair with no teacher distribution. */
    public static TrainingExample of(String exampleId, String source, String target) {
        return new TrainingExample(exampleId, source, target, TeacherDistribution.getDefaultInstance());
    }

    private static PseudoTarget textRecord(String exampleId, String source, String target,
            TeacherDistribution teacher) {
        PseudoTarget.Builder builder = PseudoTarget.newBuilder().setExampleId(exampleId).setSource(source)
                .setText(target).setSplit(Split.TRAIN).setKind(PseudoTarget.Kind.GOLD);
        if (teacher.getPositions() > 0) {
            builder.setDistribution(teacher);
        }
        return builder.build();
    }

    /** Characters of source and target: what length-grouped batches sort by (a proxy for their tokens). */
    public int length() {
        return source().length() + target().length();
    }

    /** The input's id (gold and PTs of one input share it). */
    public String exampleId() {
        return record.getExampleId();
    }

    /** The input text. */
    public String source() {
        return record.getSource();
    }

    /** The target text (gold or a pseudo-target). */
    public String target() {
        return record.getText();
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

    /** The source ids the teacher saw (empty when the record carries text only). */
    public long[] sourceIds() {
        return record.getSourceTokenIdsList().stream().mapToLong(Integer::longValue).toArray();
    }

    /** The target's ids (labels), one per distribution row (empty when the record carries text only). */
    public long[] targetIds() {
        return record.getTokenIdsList().stream().mapToLong(Integer::longValue).toArray();
    }

    /** The teacher's sparse distribution as the record carries it; the default instance when none. */
    public TeacherDistribution teacher() {
        return record.getDistribution();
    }

    public boolean hasTeacher() {
        return record.hasDistribution() && record.getDistribution().getPositions() > 0;
    }

    /** The teacher's sparse distribution on the target, decoded (and checked) on each call. */
    public Optional<SparseDistribution> distribution() {
        return hasTeacher() ? Optional.of(SparseDistribution.fromProto(record.getDistribution())) : Optional.empty();
    }
}
