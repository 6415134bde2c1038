package io.kdflow.core.wire;

import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import java.util.List;

/** One {@link WireCodec} per kdflow.v1 record type. */
public final class WireCodecs {

    public static final WireCodec<JobSpec> JOB_SPEC =
            new WireCodec<>(JobSpec.class, JobSpec.getDefaultInstance(), RecordRules::checkJobSpec);
    public static final WireCodec<SourceExample> SOURCE_EXAMPLE =
            new WireCodec<>(SourceExample.class, SourceExample.getDefaultInstance(), RecordRules::checkSourceExample);
    public static final WireCodec<PseudoTarget> PSEUDO_TARGET =
            new WireCodec<>(PseudoTarget.class, PseudoTarget.getDefaultInstance(), RecordRules::checkPseudoTarget);
    public static final WireCodec<StudentSample> STUDENT_SAMPLE =
            new WireCodec<>(StudentSample.class, StudentSample.getDefaultInstance(), RecordRules::checkStudentSample);
    public static final WireCodec<StudentScores> STUDENT_SCORES =
            new WireCodec<>(StudentScores.class, StudentScores.getDefaultInstance(), RecordRules::checkStudentScores);
    public static final WireCodec<CheckpointEvent> CHECKPOINT_EVENT = new WireCodec<>(
            CheckpointEvent.class, CheckpointEvent.getDefaultInstance(), RecordRules::checkCheckpointEvent);
    public static final WireCodec<EvalReport> EVAL_REPORT =
            new WireCodec<>(EvalReport.class, EvalReport.getDefaultInstance(), RecordRules::checkEvalReport);
    public static final WireCodec<DeadLetter> DEAD_LETTER =
            new WireCodec<>(DeadLetter.class, DeadLetter.getDefaultInstance(), RecordRules::checkDeadLetter);

    private static final List<WireCodec<?>> ALL = List.of(JOB_SPEC, SOURCE_EXAMPLE, PSEUDO_TARGET, STUDENT_SAMPLE,
            STUDENT_SCORES, CHECKPOINT_EVENT, EVAL_REPORT, DEAD_LETTER);

    private WireCodecs() {
    }

    /** Every codec, in the order of {@link Topics#all()}. */
    public static List<WireCodec<?>> all() {
        return ALL;
    }
}
