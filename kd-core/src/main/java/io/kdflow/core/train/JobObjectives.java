package io.kdflow.core.train;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.ObjectiveSettings;
import io.kdflow.core.job.TrainingSettings;

/**
 * Connects a job's resolved settings ({@link JobSettings#objective()}, {@link JobSettings#jointTeaching()}) to
 * the {@link ObjectiveSpec} the training loop's {@link Objectives} factory builds from: the one place where the
 * job's objective kinds map onto the implemented losses.
 */
public final class JobObjectives {

    private JobObjectives() {
    }

    /**
     * The objective of {@code settings}' distillation phase when the teacher's distributions come from
     * {@code source}.
     *
     * @throws BadInputException for a kind or combination that cannot run with that source (noisy KD and
     *     Joint-Teaching need the teacher in the process, so does attention-relation KD, which also does not run
     *     with Joint-Teaching)
     */
    public static ObjectiveSpec of(JobSettings settings, ObjectiveSpec.TeacherSource source) {
        ObjectiveSettings objective = settings.objective();
        TrainingSettings training = settings.training();
        ObjectiveSpec spec = switch (objective.kind()) {
            // Sequence-level KD is cross-entropy on the teacher's pseudo-targets.
            case CROSS_ENTROPY, SEQUENCE_KD -> ObjectiveSpec.crossEntropy();
            case LOGIT_KD -> ObjectiveSpec.of(ObjectiveSpec.Kind.LOGIT_KD, source, objective.temperature());
            case NOISY_KD -> ObjectiveSpec.of(ObjectiveSpec.Kind.NOISY_KD, source, objective.temperature())
                    .withNoiseDropout(objective.teacherDropout());
            case REVERSE_KD -> ObjectiveSpec.of(ObjectiveSpec.Kind.REVERSE_KL, source, objective.temperature());
            case GENERALIZED_JSD -> ObjectiveSpec.of(ObjectiveSpec.Kind.GENERALIZED_JSD, source,
                    objective.temperature()).withBeta(objective.gjsdBeta());
            case ATTENTION_RELATION_KD -> attentionRelation(objective, source);
        };
        if (!settings.jointTeaching().enabled()) {
            return spec;
        }
        if (spec.kind() == ObjectiveSpec.Kind.ATTENTION_RELATION_KD) {
            throw new BadInputException("JobSpec.training.joint_teaching: " + settings.jointTeaching().mode()
                    + " is not supported with ATTENTION_RELATION_KD (Joint-Teaching runs LOGITS_KD, NOISY_KD,"
                    + " REVERSE_KD or GENERALIZED_JSD)");
        }
        if (spec.kind() == ObjectiveSpec.Kind.CROSS_ENTROPY) {
            throw new BadInputException("JobSpec.training.joint_teaching: " + settings.jointTeaching().mode()
                    + " needs a KD objective (the teacher scores the student's samples), not "
                    + objective.kind());
        }
        return spec.withJointTeaching(settings.jointTeaching().studentPtFraction(), training.maxSourceTokens(),
                training.maxTargetTokens(), training.seed());
    }

    /** Attention-relation KD with the objective settings' relation heads, weight and scale batches. */
    private static ObjectiveSpec attentionRelation(ObjectiveSettings objective, ObjectiveSpec.TeacherSource source) {
        if (source != ObjectiveSpec.TeacherSource.IN_PROCESS) {
            throw new BadInputException("JobSpec.training.objective: ATTENTION_RELATION_KD needs the teacher in the"
                    + " process (the relations need its last layer's queries, keys and values, which the PT records"
                    + " do not carry); run it with the teacher IN_PROCESS, or use LOGITS_KD, REVERSE_KD,"
                    + " GENERALIZED_JSD, SEQUENCE_KD or CROSS_ENTROPY");
        }
        return ObjectiveSpec.of(ObjectiveSpec.Kind.ATTENTION_RELATION_KD, source, objective.temperature())
                .withRelations(objective.relationHeads(), objective.relationWeight(), objective.scaleBatches());
    }
}
