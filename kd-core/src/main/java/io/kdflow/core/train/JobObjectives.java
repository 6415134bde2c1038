package io.kdflow.core.train;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.JointTeachingSettings;
import io.kdflow.core.job.ObjectiveSettings;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.train.objective.StudentSampleScorer;
import java.util.Optional;

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
     * With Joint-Teaching REMOTE and the teacher from the RECORDS, the spec's teacher is
     * {@link ObjectiveSpec.TeacherSource#REMOTE} (teacher-service scores the student's samples); with the teacher
     * IN_PROCESS, REMOTE Joint-Teaching runs as LOCAL (the same losses at staleness 0).
     *
     * @throws BadInputException for a kind or combination that cannot run with that source (noisy KD and
     *     local Joint-Teaching need the teacher in the process, so does attention-relation KD, which also does not
     *     run with Joint-Teaching), and for REMOTE Joint-Teaching with {@code max_staleness_steps} > 0
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
        if (settings.jointTeaching().mode() == TrainingSettings.JointTeaching.REMOTE
                && source == ObjectiveSpec.TeacherSource.RECORDS) {
            spec = remote(spec, settings.jointTeaching());
        }
        return spec.withJointTeaching(settings.jointTeaching().studentPtFraction(), training.maxSourceTokens(),
                training.maxTargetTokens(), training.seed());
    }

    /**
     * The objective of {@code settings}' distillation phase, built: {@link #of} with the teacher from
     * {@code source}, Joint-Teaching REMOTE scored by {@code scorer}.
     *
     * @param teacher the teacher in the process, when the spec needs one
     * @param scorer teacher-service's scores of the student's samples; needed when the job asks for Joint-Teaching
     *     REMOTE and the teacher comes from the records
     * @throws BadInputException as {@link #of}, and when a REMOTE Joint-Teaching run gets no scorer
     */
    public static TrainingObjective create(JobSettings settings, ObjectiveSpec.TeacherSource source,
            PretrainedModel student, Optional<? extends PretrainedModel> teacher,
            Optional<? extends StudentSampleScorer> scorer) {
        return Objectives.create(of(settings, source), student, teacher, scorer);
    }

    /**
     * Joint-Teaching with teacher-service: the records feed the batch's targets, the remote scorer the student's
     * samples. The step waits for the scores, so only staleness 0 runs.
     */
    private static ObjectiveSpec remote(ObjectiveSpec spec, JointTeachingSettings jointTeaching) {
        if (jointTeaching.maxStalenessSteps() > 0) {
            throw new BadInputException("JobSpec.training.max_staleness_steps: " + jointTeaching.maxStalenessSteps()
                    + " is not supported (remote Joint-Teaching waits for the teacher's scores of each student step's"
                    + " samples, i.e. staleness 0); use 0");
        }
        return new ObjectiveSpec(spec.kind(), ObjectiveSpec.TeacherSource.REMOTE, spec.temperature(), spec.beta(),
                spec.noiseDropout(), spec.jointTeachingFraction(), spec.maxSourceTokens(), spec.maxTargetTokens(),
                spec.seed(), spec.relationHeads(), spec.relationWeight(), spec.scaleBatches());
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
