package io.kdflow.core.job;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.proto.ObjectiveSpec;
import io.kdflow.core.wire.proto.TrainingSpec;

/** Resolves {@code JobSpec.training}'s objective parameters and Joint-Teaching into their records. */
final class ObjectivesOfSpec {

    static final String OBJECTIVES = "CROSS_ENTROPY, LOGITS_KD, NOISY_KD, SEQUENCE_KD, REVERSE_KD, GENERALIZED_JSD"
            + " or ATTENTION_RELATION_KD";
    private static final String FIELD = "JobSpec.training.objective_settings.";

    private ObjectivesOfSpec() {}

    /** {@code training} is the resolved TrainingSpec (its objective and temperature already validated). */
    static ObjectiveSettings objective(TrainingSpec t, TrainingSettings training) {
        ObjectiveSettings.Kind kind = switch (t.getObjective()) {
            case OBJECTIVE_UNSPECIFIED, CROSS_ENTROPY, LOGITS_KD, NOISY_KD, SEQUENCE_KD -> switch (training.objective()) {
                case CROSS_ENTROPY -> ObjectiveSettings.Kind.CROSS_ENTROPY;
                case LOGITS_KD -> ObjectiveSettings.Kind.LOGIT_KD;
                case NOISY_KD -> ObjectiveSettings.Kind.NOISY_KD;
                case SEQUENCE_KD -> ObjectiveSettings.Kind.SEQUENCE_KD;
            };
            case REVERSE_KD -> ObjectiveSettings.Kind.REVERSE_KD;
            case GENERALIZED_JSD -> ObjectiveSettings.Kind.GENERALIZED_JSD;
            case ATTENTION_RELATION_KD -> ObjectiveSettings.Kind.ATTENTION_RELATION_KD;
            case UNRECOGNIZED -> throw new IllegalStateException("rejected while resolving the training settings");
        };
        ObjectiveSpec o = t.getObjectiveSettings();
        ObjectiveSettings d = ObjectiveSettings.DEFAULTS;
        ObjectiveSettings.TeacherLogits logits = teacherLogits(o, kind, training);
        return new ObjectiveSettings(kind, training.kdTemperature(),
                SpecField.real(FIELD + "gjsd_beta", o.hasGjsdBeta(), o.getGjsdBeta(), d.gjsdBeta(), 0, false, 1),
                SpecField.real(FIELD + "teacher_dropout", o.hasTeacherDropout(), o.getTeacherDropout(),
                        d.teacherDropout(), 0, false, 0.9),
                SpecField.integer(FIELD + "relation_heads", o.hasRelationHeads(), o.getRelationHeads(),
                        d.relationHeads(), 0, 1024),
                SpecField.real(FIELD + "relation_weight", o.hasRelationWeight(), o.getRelationWeight(),
                        d.relationWeight(), 0, false, 1),
                SpecField.integer(FIELD + "scale_batches", o.hasScaleBatches(), o.getScaleBatches(),
                        d.scaleBatches(), 0, 100_000), logits);
    }

    /**
     * DENSE unless the spec asks for RECORDS; RECORDS cannot feed the objectives that need the teacher model itself
     * (its dropout, its attention, its scores of the student's samples, unless teacher-service scores them:
     * Joint-Teaching REMOTE).
     */
    private static ObjectiveSettings.TeacherLogits teacherLogits(ObjectiveSpec o, ObjectiveSettings.Kind kind,
            TrainingSettings training) {
        ObjectiveSettings.TeacherLogits logits = switch (o.getTeacherLogits()) {
            case TEACHER_LOGITS_UNSPECIFIED, DENSE -> ObjectiveSettings.TeacherLogits.DENSE;
            case RECORDS -> ObjectiveSettings.TeacherLogits.RECORDS;
            case UNRECOGNIZED -> throw SpecField.rejected(FIELD + "teacher_logits",
                    Integer.toString(o.getTeacherLogitsValue()), "DENSE or RECORDS");
        };
        if (logits == ObjectiveSettings.TeacherLogits.RECORDS) {
            String needsModel = kind == ObjectiveSettings.Kind.NOISY_KD ? "NOISY_KD (the teacher's dropout acts at"
                    + " training time)" : kind == ObjectiveSettings.Kind.ATTENTION_RELATION_KD ? "ATTENTION_RELATION_KD"
                    + " (the relations need the teacher's queries, keys and values)"
                    : training.jointTeaching() == TrainingSettings.JointTeaching.LOCAL ? "Joint-Teaching (the teacher"
                    + " scores the student's own samples)" : null; // REMOTE: teacher-service scores them
            if (needsModel != null) {
                throw new BadInputException(FIELD + "teacher_logits: RECORDS is not allowed with " + needsModel
                        + "; use DENSE (the teacher in the process)");
            }
        }
        return logits;
    }

    static JointTeachingSettings jointTeaching(TrainingSpec t, TrainingSettings training) {
        JointTeachingSettings d = JointTeachingSettings.DEFAULTS;
        return new JointTeachingSettings(training.jointTeaching(),
                SpecField.real("JobSpec.training.student_pt_fraction", t.hasStudentPtFraction(),
                        t.getStudentPtFraction(), d.studentPtFraction(), 0, false, 1),
                training.maxStalenessSteps());
    }
}
