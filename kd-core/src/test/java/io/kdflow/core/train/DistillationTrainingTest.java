package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.train.ObjectiveSpec.Kind;
import io.kdflow.core.train.ObjectiveSpec.TeacherSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The objectives assembled for a run: {@link ObjectiveSpec} checks, {@link Objectives#create}, the student
 * training with a teacher in the process, and the final cross-entropy fine-tune continuing the KD schedule.
 * bart-tiny is the teacher, its decoder-pruned copy the student; libtorch on one thread.
 */
class DistillationTrainingTest {

    private static final List<TrainingExample> PAIRS = List.of(
            TrainingExample.of("a", "Good morrow to you, my lord.", "Hello, sir."),
            TrainingExample.of("b", "What news on the Rialto?", "What is new in town?"),
            TrainingExample.of("c", "Wherefore art thou Romeo?", "Why are you Romeo?"),
            TrainingExample.of("d", "All that glisters is not gold.", "Shiny things can be cheap."));

    @TempDir
    static Path temp;

    private static NDManager manager;
    private static Seq2SeqModel teacher;
    private static Path studentDir;
    private static int threadsBefore;

    @BeforeAll
    static void load() throws Exception {
        Path teacherDir = HfTiny.copyModel(HfTiny.BART, temp);
        manager = NDManager.newBaseManager();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        teacher = PretrainedModels.loadSeq2Seq(teacherDir, manager);
        studentDir = temp.resolve("student");
        try (PretrainedModel student = LayerPruning.pruneDecoderDefault(teacher, manager)) {
            ModelDirectoryWriter.save(student, studentDir, teacherDir);
        }
    }

    @AfterAll
    static void close() {
        teacher.close();
        manager.close();
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldRejectBadParametersNamingThem() {
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 0))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.temperature: 0.0 is not allowed (must be finite and > 0 (the paper uses 1))");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.GENERALIZED_JSD, TeacherSource.RECORDS, 1).withBeta(1.5))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.beta: 1.5 is not allowed (must be in [0, 1] (0 = forward KL, 1 = reverse KL))");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.NOISY_KD, TeacherSource.IN_PROCESS, 1).withNoiseDropout(1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.noise_dropout: 1.0 is not allowed (must be in [0, 1), or unset for the teacher"
                        + " config's rate)");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.NOISY_KD, TeacherSource.RECORDS, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.teacher: RECORDS is not allowed with NOISY_KD (the teacher's dropout acts at"
                        + " training time, so it needs the teacher IN_PROCESS)");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.RECORDS, 1)
                .withJointTeaching(0.5, 32, 32, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.joint_teaching_fraction: 0.5 needs a KD kind with the teacher IN_PROCESS (it"
                        + " scores the student's samples), got LOGIT_KD with RECORDS");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 1)
                .withJointTeaching(-1, 32, 32, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.joint_teaching_fraction: -1.0 is not allowed (must be finite and >= 0 (0 = off,"
                        + " 0.5 = every second step, 1 = every step))");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.ATTENTION_RELATION_KD, TeacherSource.RECORDS, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.teacher: RECORDS is not allowed with ATTENTION_RELATION_KD (the relations need"
                        + " the teacher's queries, keys and values, so it needs the teacher IN_PROCESS)");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.ATTENTION_RELATION_KD, TeacherSource.IN_PROCESS, 1)
                .withJointTeaching(0.5, 32, 32, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.joint_teaching_fraction: 0.5 is not supported with ATTENTION_RELATION_KD"
                        + " (Joint-Teaching runs LOGIT_KD, NOISY_KD, REVERSE_KL or GENERALIZED_JSD); use 0");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.ATTENTION_RELATION_KD, TeacherSource.IN_PROCESS, 1)
                .withRelations(-1, 0.5, 100))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.relation_heads: -1 is not allowed (must be >= 0 (0 = the teacher's attention"
                        + " heads))");
        assertThatThrownBy(() -> ObjectiveSpec.of(Kind.ATTENTION_RELATION_KD, TeacherSource.IN_PROCESS, 1)
                .withRelations(0, 0.5, -1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.scale_batches: -1 is not allowed (must be >= 0 (0 = no loss scaling; the"
                        + " paper uses 100))");
    }

    @Test
    void shouldBuildEveryObjectiveFromItsSpec() {
        try (PretrainedModel model = LayerPruning.pruneDecoderDefault(teacher, manager)) {
            Seq2SeqModel student = (Seq2SeqModel) model;
            Optional<Seq2SeqModel> inProcess = Optional.of(teacher);
            assertThat(name(ObjectiveSpec.crossEntropy(), student, Optional.empty())).isEqualTo("cross-entropy");
            assertThat(name(ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 2), student, inProcess))
                    .isEqualTo("logit-kd(tau=2.0)");
            assertThat(name(ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.RECORDS, 1), student, Optional.empty()))
                    .isEqualTo("sparse-logit-kd(tau=1.0)");
            assertThat(name(ObjectiveSpec.of(Kind.REVERSE_KL, TeacherSource.RECORDS, 1), student, Optional.empty()))
                    .isEqualTo("sparse-reverse-kl(tau=1.0)");
            assertThat(name(ObjectiveSpec.of(Kind.GENERALIZED_JSD, TeacherSource.IN_PROCESS, 1).withBeta(0.5),
                    student, inProcess)).isEqualTo("generalized-jsd(beta=0.5, tau=1.0)");
            assertThat(name(ObjectiveSpec.of(Kind.NOISY_KD, TeacherSource.IN_PROCESS, 1).withNoiseDropout(0.1),
                    student, inProcess)).isEqualTo("noisy-logit-kd(tau=1.0)");
            assertThat(name(ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 1)
                    .withJointTeaching(0.5, 32, 32, 7), student, inProcess))
                    .isEqualTo("joint-teaching(fraction=0.5, logit-kd(tau=1.0))");
            assertThat(name(ObjectiveSpec.of(Kind.ATTENTION_RELATION_KD, TeacherSource.IN_PROCESS, 1), student,
                    inProcess)).isEqualTo("attention-relation-kd(heads=teacher, weight=0.5, tau=1.0)");
            assertThatThrownBy(() -> Objectives.create(ObjectiveSpec.of(Kind.ATTENTION_RELATION_KD,
                    TeacherSource.IN_PROCESS, 1), student, Optional.empty())).isInstanceOf(BadInputException.class)
                    .hasMessage("objective ATTENTION_RELATION_KD with the teacher IN_PROCESS needs a teacher model, and"
                            + " none was given");
            assertThatThrownBy(() -> Objectives.create(ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 1),
                    student, Optional.empty())).isInstanceOf(BadInputException.class)
                    .hasMessage("objective LOGIT_KD with the teacher IN_PROCESS needs a teacher model, and none was given");
        }
    }

    @Test
    void shouldMapTheJobObjectivesOfATrainerWithoutATeacher() {
        try (StudentTraining run = StudentTraining.open(studentDir, settings(TrainingSettings.Objective.LOGITS_KD),
                epochs(PAIRS, 1), 10)) {
            assertThat(run.loop().objectiveName()).isEqualTo("sparse-logit-kd(tau=1.0)");
        }
        try (StudentTraining run = StudentTraining.open(studentDir, settings(TrainingSettings.Objective.SEQUENCE_KD),
                epochs(PAIRS, 1), 10)) {
            assertThat(run.loop().objectiveName()).isEqualTo("cross-entropy");
        }
        assertThatThrownBy(() -> StudentTraining.open(studentDir, settings(TrainingSettings.Objective.NOISY_KD),
                epochs(PAIRS, 1), 10)).isInstanceOf(BadInputException.class)
                .hasMessage("objective NOISY_KD needs the teacher in the process; none was given (the streaming"
                        + " trainer supports CROSS_ENTROPY, SEQUENCE_KD and LOGITS_KD)");
    }

    @Test
    void shouldContinueTheKdScheduleInTheFinalFineTuneOnGold() throws Exception {
        TrainingSettings settings = settings(TrainingSettings.Objective.LOGITS_KD);
        ObjectiveSpec kd = ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 1);
        Path checkpoint = temp.resolve("best-kd");
        List<StepReport> kdSteps = new ArrayList<>();
        try (StudentTraining run = StudentTraining.open(studentDir, settings, kd, Optional.of(teacher),
                epochs(PAIRS, 10), 7)) {
            run.loop().addListener(kdSteps::add);
            assertThat(run.loop().run(3)).isEqualTo(3);
            run.save(checkpoint);
        }
        List<TrainingExample> gold = PAIRS.subList(0, 2);
        List<StepReport> fineTune = new ArrayList<>();
        try (StudentTraining run = FinalFineTune.open(checkpoint, settings, epochs(gold, 10), 7)) {
            assertThat(run.loop().steps()).isEqualTo(3);
            assertThat(run.loop().objectiveName()).isEqualTo("cross-entropy");
            run.loop().addListener(fineTune::add);
            assertThat(run.loop().run(Long.MAX_VALUE)).as("the rest of the schedule").isEqualTo(4);
            assertThat(run.loop().finished()).isTrue();
        }
        LinearWarmupDecay schedule = new LinearWarmupDecay(1e-3, 2, 7);
        assertThat(kdSteps).extracting(r -> r.result().learningRate())
                .containsExactly(schedule.rate(0), schedule.rate(1), schedule.rate(2));
        assertThat(fineTune).extracting(r -> r.result().step()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(fineTune).extracting(r -> r.result().learningRate())
                .containsExactly(schedule.rate(3), schedule.rate(4), schedule.rate(5), schedule.rate(6));
        assertThat(fineTune.get(0).position()).as("the gold plan starts at its beginning")
                .isEqualTo(new DataPosition(0, 1, 42));
        assertThatThrownBy(() -> FinalFineTune.open(checkpoint, settings, epochs(gold, 10), 9))
                .isInstanceOf(BadInputException.class).hasMessageContaining("the checkpoint ran under");
    }

    @Test
    void shouldRepeatTheSameLossesForNoisyKdWithJointTeachingAndPullTheStudentTowardsTheTeacher() {
        ObjectiveSpec noisyJoint = ObjectiveSpec.of(Kind.NOISY_KD, TeacherSource.IN_PROCESS, 1).withNoiseDropout(0.1)
                .withJointTeaching(0.5, 32, 12, 42);
        List<Double> first = losses(noisyJoint, 6);
        List<Double> second = losses(noisyJoint, 6);
        assertThat(second).as("same seed, same losses").isEqualTo(first);

        // one batch over and over: logit KD must shrink the divergence
        ObjectiveSpec kd = ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 1);
        List<Double> kdLosses = new ArrayList<>();
        TrainingSettings settings = settings(TrainingSettings.Objective.LOGITS_KD);
        try (StudentTraining run = StudentTraining.open(studentDir, settings, kd, Optional.of(teacher),
                new EpochBatches(epoch -> PAIRS.subList(0, 2), 2, 8, 42), 100)) {
            run.loop().addListener(r -> kdLosses.add(r.result().loss()));
            run.loop().run(8);
        }
        assertThat(kdLosses).hasSize(8);
        assertThat(kdLosses.get(7)).isLessThan(kdLosses.get(1));
    }

    private static List<Double> losses(ObjectiveSpec spec, int steps) {
        List<Double> losses = new ArrayList<>();
        try (StudentTraining run = StudentTraining.open(studentDir, settings(TrainingSettings.Objective.NOISY_KD),
                spec, Optional.of(teacher), epochs(PAIRS, 10), 100)) {
            run.loop().addListener(r -> losses.add(r.result().loss()));
            run.loop().run(steps);
        }
        assertThat(losses).hasSize(steps).allSatisfy(loss -> assertThat(loss).isPositive());
        return losses;
    }

    private static String name(ObjectiveSpec spec, Seq2SeqModel student, Optional<Seq2SeqModel> teacher) {
        return Objectives.create(spec, student, teacher).name();
    }

    private static EpochBatches epochs(List<TrainingExample> examples, int epochs) {
        return new EpochBatches(epoch -> examples, 2, epochs, 42);
    }

    /** Batch 2, no accumulation, lr 1e-3 with 2 warmup steps, seed 42, tau 1. */
    private static TrainingSettings settings(TrainingSettings.Objective objective) {
        TrainingSettings d = TrainingSettings.DEFAULTS;
        return new TrainingSettings(objective, 1.0, 3, 2, 1, 1e-3, 0.01, 2, 42, d.jointTeaching(), 0, 0, 0, 32, 32,
                0, 1000, 1.0);
    }
}
