package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ObjectiveSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TrainingSpec;
import org.junit.jupiter.api.Test;

/** The job's objective kinds reach the training loop's objective factory as the implemented losses. */
class JobObjectivesTest {

    private static final io.kdflow.core.train.ObjectiveSpec.TeacherSource RECORDS =
            io.kdflow.core.train.ObjectiveSpec.TeacherSource.RECORDS;
    private static final io.kdflow.core.train.ObjectiveSpec.TeacherSource IN_PROCESS =
            io.kdflow.core.train.ObjectiveSpec.TeacherSource.IN_PROCESS;

    @Test
    void shouldMapEveryTrainableKindWithItsParameters() {
        assertThat(spec(training(TrainingSpec.Objective.SEQUENCE_KD), RECORDS).kind())
                .isEqualTo(io.kdflow.core.train.ObjectiveSpec.Kind.CROSS_ENTROPY);
        var logit = spec(training(TrainingSpec.Objective.LOGITS_KD).setKdTemperature(2f), RECORDS);
        assertThat(logit.kind()).isEqualTo(io.kdflow.core.train.ObjectiveSpec.Kind.LOGIT_KD);
        assertThat(logit.temperature()).isEqualTo(2.0);
        assertThat(logit.teacher()).isEqualTo(RECORDS);
        // The new kinds must not fall back to logit KD (TrainingSettings.Objective predates them).
        var jsd = spec(training(TrainingSpec.Objective.GENERALIZED_JSD)
                .setObjectiveSettings(ObjectiveSpec.newBuilder().setGjsdBeta(0.25f)), RECORDS);
        assertThat(jsd.kind()).isEqualTo(io.kdflow.core.train.ObjectiveSpec.Kind.GENERALIZED_JSD);
        assertThat(jsd.beta()).isEqualTo(0.25);
        assertThat(spec(training(TrainingSpec.Objective.REVERSE_KD), RECORDS).kind())
                .isEqualTo(io.kdflow.core.train.ObjectiveSpec.Kind.REVERSE_KL);
        var noisy = spec(training(TrainingSpec.Objective.NOISY_KD)
                .setObjectiveSettings(ObjectiveSpec.newBuilder().setTeacherDropout(0.3f)), IN_PROCESS);
        assertThat(noisy.kind()).isEqualTo(io.kdflow.core.train.ObjectiveSpec.Kind.NOISY_KD);
        assertThat(noisy.noiseDropout()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void shouldMapAttentionRelationKdWithItsObjectiveSettings() {
        var defaults = spec(training(TrainingSpec.Objective.ATTENTION_RELATION_KD), IN_PROCESS);
        assertThat(defaults.kind()).isEqualTo(io.kdflow.core.train.ObjectiveSpec.Kind.ATTENTION_RELATION_KD);
        assertThat(defaults.teacher()).isEqualTo(IN_PROCESS);
        assertThat(defaults.relationHeads()).as("the teacher's heads").isZero();
        assertThat(defaults.relationWeight()).as("the paper's 0.5 logits + 0.5 relations").isEqualTo(0.5);
        assertThat(defaults.scaleBatches()).as("the paper's 100 batches").isEqualTo(100);

        var set = spec(training(TrainingSpec.Objective.ATTENTION_RELATION_KD).setKdTemperature(2f)
                .setObjectiveSettings(ObjectiveSpec.newBuilder().setRelationHeads(8).setRelationWeight(0.75f)
                        .setScaleBatches(10)), IN_PROCESS);
        assertThat(set.temperature()).isEqualTo(2.0);
        assertThat(set.relationHeads()).isEqualTo(8);
        assertThat(set.relationWeight()).isEqualTo(0.75);
        assertThat(set.scaleBatches()).isEqualTo(10);
    }

    @Test
    void shouldCarryJointTeachingWithTheTrainingLimitsAndSeed() {
        var jt = spec(training(TrainingSpec.Objective.LOGITS_KD).setJointTeaching(TrainingSpec.JointTeaching.LOCAL)
                .setStudentPtFraction(0.5f).setMaxSourceTokens(40).setMaxTargetTokens(30).setSeed(7), IN_PROCESS);

        assertThat(jt.jointTeachingFraction()).isEqualTo(0.5);
        assertThat(jt.maxSourceTokens()).isEqualTo(40);
        assertThat(jt.maxTargetTokens()).isEqualTo(30);
        assertThat(jt.seed()).isEqualTo(7);
    }

    @Test
    void shouldRejectWhatCannotRunWithTheGivenTeacher() {
        assertThatThrownBy(() -> spec(training(TrainingSpec.Objective.NOISY_KD), RECORDS))
                .isInstanceOf(BadInputException.class).hasMessageContaining("needs the teacher IN_PROCESS");
        assertThatThrownBy(() -> spec(training(TrainingSpec.Objective.LOGITS_KD)
                .setJointTeaching(TrainingSpec.JointTeaching.LOCAL), RECORDS))
                .isInstanceOf(BadInputException.class).hasMessageContaining("needs a KD kind with the teacher IN_PROCESS");
        assertThatThrownBy(() -> spec(training(TrainingSpec.Objective.CROSS_ENTROPY)
                .setJointTeaching(TrainingSpec.JointTeaching.LOCAL), IN_PROCESS))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.training.joint_teaching: LOCAL needs a KD objective (the teacher scores the"
                        + " student's samples), not CROSS_ENTROPY");
        // attention-relation KD needs the teacher's queries, keys and values, which the records do not carry
        assertThatThrownBy(() -> spec(training(TrainingSpec.Objective.ATTENTION_RELATION_KD), RECORDS))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("JobSpec.training.objective: ATTENTION_RELATION_KD needs the teacher in the"
                        + " process");
    }

    @Test
    void shouldScoreTheStudentsSamplesRemotelyWhenTheRecordsFeedARemoteJointTeachingRun() {
        TrainingSpec.Builder remote = training(TrainingSpec.Objective.LOGITS_KD)
                .setJointTeaching(TrainingSpec.JointTeaching.REMOTE).setStudentPtFraction(0.5f).setSeed(7);

        var fromRecords = spec(remote.clone(), RECORDS);
        assertThat(fromRecords.teacher()).isEqualTo(io.kdflow.core.train.ObjectiveSpec.TeacherSource.REMOTE);
        assertThat(fromRecords.jointTeachingFraction()).isEqualTo(0.5);
        assertThat(fromRecords.seed()).isEqualTo(7);
        assertThat(fromRecords.needsTeacher()).as("no teacher in the trainer").isFalse();
        // with the teacher in the process, remote Joint-Teaching is the local one (the same losses at staleness 0)
        assertThat(spec(remote.clone(), IN_PROCESS).teacher()).isEqualTo(IN_PROCESS);
        assertThatThrownBy(() -> spec(remote.clone().setMaxStalenessSteps(2), RECORDS))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.training.max_staleness_steps: 2 is not supported (remote Joint-Teaching waits for"
                        + " the teacher's scores of each student step's samples, i.e. staleness 0); use 0");
        assertThatThrownBy(() -> Objectives.create(fromRecords, null, java.util.Optional.empty(),
                java.util.Optional.empty()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective LOGIT_KD with Joint-Teaching and the teacher REMOTE needs a scorer of the"
                        + " student's samples (teacher-service), and none was given");
    }

    private static TrainingSpec.Builder training(TrainingSpec.Objective objective) {
        return TrainingSpec.newBuilder().setObjective(objective);
    }

    private static io.kdflow.core.train.ObjectiveSpec spec(TrainingSpec.Builder training,
            io.kdflow.core.train.ObjectiveSpec.TeacherSource source) {
        JobSpec job = JobSpec.newBuilder().setHeader(RecordHeader.newBuilder().setSchemaVersion(1).setJobId("job-1"))
                .setTraining(training).build();
        return JobObjectives.of(JobSettings.resolve(job), source);
    }
}
