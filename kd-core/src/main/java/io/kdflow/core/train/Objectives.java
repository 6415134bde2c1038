package io.kdflow.core.train;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.train.objective.AttentionRelationObjective;
import io.kdflow.core.train.objective.DenseKdObjective;
import io.kdflow.core.train.objective.JointTeachingObjective;
import io.kdflow.core.train.objective.JointTeachingSchedule;
import io.kdflow.core.train.objective.SparseKdObjective;
import io.kdflow.core.train.objective.TeacherPass;
import io.kdflow.core.train.objective.TokenDivergence;
import java.util.Optional;

/** Builds the {@link TrainingObjective} an {@link ObjectiveSpec} describes. */
public final class Objectives {

    private Objectives() {}

    /**
     * @param teacher the teacher model, required when {@link ObjectiveSpec#needsTeacher()}; it must share the
     *     student's tokenizer, and is only read (its weights get no gradient)
     * @throws BadInputException when the spec needs a teacher in the process and none is given
     */
    public static TrainingObjective create(ObjectiveSpec spec, Seq2SeqModel student, Optional<Seq2SeqModel> teacher) {
        if (spec.kind() == ObjectiveSpec.Kind.CROSS_ENTROPY) {
            return new CrossEntropyObjective(student);
        }
        if (spec.kind() == ObjectiveSpec.Kind.ATTENTION_RELATION_KD) {
            Seq2SeqModel model = teacher.orElseThrow(() -> new BadInputException("objective " + spec.kind()
                    + " with the teacher IN_PROCESS needs a teacher model, and none was given"));
            return new AttentionRelationObjective(student, model, spec.temperature(), spec.relationHeads(),
                    spec.relationWeight(), spec.scaleBatches());
        }
        TokenDivergence divergence = switch (spec.kind()) {
            case LOGIT_KD, NOISY_KD -> TokenDivergence.logitKd(spec.temperature());
            case REVERSE_KL -> TokenDivergence.reverseKl(spec.temperature());
            case GENERALIZED_JSD -> TokenDivergence.generalizedJsd(spec.beta(), spec.temperature());
            case CROSS_ENTROPY, ATTENTION_RELATION_KD -> throw new IllegalStateException("handled above");
        };
        if (spec.teacher() == ObjectiveSpec.TeacherSource.RECORDS) {
            return new SparseKdObjective(student, divergence);
        }
        Seq2SeqModel model = teacher.orElseThrow(() -> new BadInputException("objective " + spec.kind()
                + " with the teacher IN_PROCESS needs a teacher model, and none was given"));
        TeacherPass pass = spec.kind() != ObjectiveSpec.Kind.NOISY_KD ? TeacherPass.eval(model)
                : Double.isNaN(spec.noiseDropout()) ? TeacherPass.noisy(model)
                : TeacherPass.noisy(model, spec.noiseDropout());
        DenseKdObjective kd = new DenseKdObjective(student, pass, divergence);
        if (spec.jointTeachingFraction() == 0) {
            return kd;
        }
        return new JointTeachingObjective(student, kd, new JointTeachingSchedule(spec.jointTeachingFraction()),
                spec.maxSourceTokens(), spec.maxTargetTokens(), spec.seed());
    }
}
