package io.kdflow.core.train;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.train.objective.AttentionRelationObjective;
import io.kdflow.core.train.objective.DenseKdObjective;
import io.kdflow.core.train.objective.JointTeachingObjective;
import io.kdflow.core.train.objective.JointTeachingSchedule;
import io.kdflow.core.train.objective.SparseKdObjective;
import io.kdflow.core.train.objective.StudentSampleScorer;
import io.kdflow.core.train.objective.TeacherPass;
import io.kdflow.core.train.objective.TokenDivergence;
import java.util.Optional;

/** Builds the {@link TrainingObjective} an {@link ObjectiveSpec} describes. */
public final class Objectives {

    private Objectives() {}

    /**
     * @param student an encoder-decoder (BART, T5) or decoder-only (GPT-2) model
     * @param teacher the teacher model, required when {@link ObjectiveSpec#needsTeacher()}; it must share the
     *     student's tokenizer and kind of architecture, and is only read (its weights get no gradient)
     * @throws BadInputException when the spec needs a teacher in the process and none is given, or when the
     *     teacher's vocabulary or kind of architecture differs from the student's
     */
    public static TrainingObjective create(ObjectiveSpec spec, PretrainedModel student,
            Optional<? extends PretrainedModel> teacher) {
        return create(spec, student, teacher, Optional.empty());
    }

    /**
     * As {@link #create(ObjectiveSpec, PretrainedModel, Optional)}, with the scorer of Joint-Teaching's student
     * samples a {@link ObjectiveSpec.TeacherSource#REMOTE} spec needs.
     *
     * @param scorer the remote teacher's scores of the student's samples (teacher-service), required by
     *     Joint-Teaching with the teacher REMOTE
     * @throws BadInputException as the other overload, and when a REMOTE Joint-Teaching spec gets no scorer
     */
    public static TrainingObjective create(ObjectiveSpec spec, PretrainedModel student,
            Optional<? extends PretrainedModel> teacher, Optional<? extends StudentSampleScorer> scorer) {
        if (spec.kind() == ObjectiveSpec.Kind.CROSS_ENTROPY) {
            return new CrossEntropyObjective(student);
        }
        if (spec.kind() == ObjectiveSpec.Kind.ATTENTION_RELATION_KD) {
            PretrainedModel model = teacher.orElseThrow(() -> new BadInputException("objective " + spec.kind()
                    + " with the teacher IN_PROCESS needs a teacher model, and none was given"));
            if (!(student instanceof Seq2SeqModel seq2seqStudent) || !(model instanceof Seq2SeqModel seq2seqTeacher)) {
                throw new BadInputException("objective " + spec.kind() + " compares the attention of encoder-decoder"
                        + " models (BART, T5); the teacher is " + describe(model.config()) + ", the student "
                        + describe(student.config()));
            }
            return new AttentionRelationObjective(seq2seqStudent, seq2seqTeacher, spec.temperature(),
                    spec.relationHeads(), spec.relationWeight(), spec.scaleBatches());
        }
        TokenDivergence divergence = switch (spec.kind()) {
            case LOGIT_KD, NOISY_KD -> TokenDivergence.logitKd(spec.temperature());
            case REVERSE_KL -> TokenDivergence.reverseKl(spec.temperature());
            case GENERALIZED_JSD -> TokenDivergence.generalizedJsd(spec.beta(), spec.temperature());
            case CROSS_ENTROPY, ATTENTION_RELATION_KD -> throw new IllegalStateException("handled above");
        };
        if (spec.teacher() == ObjectiveSpec.TeacherSource.REMOTE && spec.jointTeachingFraction() > 0) {
            StudentSampleScorer remote = scorer.orElseThrow(() -> new BadInputException("objective " + spec.kind()
                    + " with Joint-Teaching and the teacher REMOTE needs a scorer of the student's samples"
                    + " (teacher-service), and none was given"));
            return JointTeachingObjective.remote(student, divergence, remote,
                    new JointTeachingSchedule(spec.jointTeachingFraction()), spec.maxSourceTokens(),
                    spec.maxTargetTokens(), spec.seed());
        }
        if (spec.teacher() != ObjectiveSpec.TeacherSource.IN_PROCESS) {
            return new SparseKdObjective(student, divergence);
        }
        PretrainedModel model = teacher.orElseThrow(() -> new BadInputException("objective " + spec.kind()
                + " with the teacher IN_PROCESS needs a teacher model, and none was given"));
        requireSameKind(model.config(), student.config());
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

    /**
     * Teacher and student read one batch layout and compare distributions over one vocabulary, so both must be
     * encoder-decoder or both decoder-only, with the same vocabulary (one tokenizer).
     */
    static void requireSameKind(ModelConfig teacher, ModelConfig student) {
        if (teacher.encoderDecoder() != student.encoderDecoder() || teacher.vocabSize() != student.vocabSize()) {
            throw new BadInputException("teacher and student must share a tokenizer and a kind of architecture:"
                    + " the teacher is " + describe(teacher) + ", the student " + describe(student) + " (distill a"
                    + " decoder-only teacher into a decoder-only student, an encoder-decoder one into an"
                    + " encoder-decoder one, with one vocabulary)");
        }
    }

    private static String describe(ModelConfig config) {
        return (config.encoderDecoder() ? "encoder-decoder " : "decoder-only ") + config.modelType() + " with "
                + config.vocabSize() + " tokens";
    }
}
