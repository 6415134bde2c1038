package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.objective.JointTeachingObjective.StudentTargets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joint-Teaching: which steps sample from the student, that those steps train on the student's samples and
 * not on the batch's labels, and the "only teacher" / "only student" variants.
 */
class JointTeachingTest {

    @TempDir
    static Path temp;

    private static ObjectiveFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = new ObjectiveFixture(temp);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void shouldPickEveryRoundOneOverFractionthStep() {
        assertThat(studentSteps(new JointTeachingSchedule(0.5), 8)).containsExactly(1L, 3L, 5L, 7L);
        assertThat(studentSteps(new JointTeachingSchedule(0.25), 8)).containsExactly(3L, 7L);
        assertThat(studentSteps(new JointTeachingSchedule(0.3), 7)).as("round(1 / 0.3) = 3").containsExactly(2L, 5L);
        assertThat(studentSteps(JointTeachingSchedule.onlyStudent(), 4)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(studentSteps(new JointTeachingSchedule(2.5), 3)).containsExactly(0L, 1L, 2L);
        assertThat(studentSteps(JointTeachingSchedule.onlyTeacher(), 8)).isEmpty();
        assertThat(new JointTeachingSchedule(0.5).period()).isEqualTo(2);
        assertThatThrownBy(() -> new JointTeachingSchedule(-0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Joint-Teaching fraction must be finite and >= 0, got -0.5");
    }

    @Test
    void shouldTrainOnTheCurrentStudentsSamplesOnEverySecondStep() {
        DenseKdObjective kd = kd();
        JointTeachingObjective objective = new JointTeachingObjective(fixture.student, kd,
                new JointTeachingSchedule(0.5), ObjectiveFixture.MAX_TOKENS, 12, 42L);
        List<StudentTargets> sampled = new ArrayList<>();
        objective.onStudentTargets(sampled::add);
        TrainingBatch batch = fixture.batch();
        try (NDManager manager = fixture.manager.newSubManager()) {
            double labelsLoss = kd.loss(manager, batch, 0).getFloat();
            List<Double> losses = new ArrayList<>();
            for (long step = 0; step < 4; step++) {
                losses.add((double) objective.loss(manager, batch, step).getFloat());
            }

            assertThat(sampled).extracting(StudentTargets::step).containsExactly(1L, 3L);
            assertThat(losses.get(0)).as("teacher step: the batch's labels").isEqualTo(labelsLoss);
            assertThat(losses.get(2)).isEqualTo(labelsLoss);
            for (int i = 0; i < sampled.size(); i++) {
                StudentTargets targets = sampled.get(i);
                assertThat(targets.exampleIds()).containsExactly("a", "b", "c");
                assertThat(targets.targets()).hasNumberOfRows(3);
                assertThat(Arrays.stream(targets.targets()).map(row -> row.length).toList())
                        .allSatisfy(length -> assertThat(length).isBetween(1, 12));
                assertThat(targets.targets()).as("the student's samples, not the labels")
                        .isNotEqualTo(unpadded(batch.pairs().labels()));
                assertThat(targets.targets()).as("drawn from the student with the step's settings")
                        .isDeepEqualTo(sample(fixture.student, objective, batch, targets.step()));
                PairBatch onSamples = PairBatch.ofIds(sources(batch), targets.targets(), ObjectiveFixture.MAX_TOKENS,
                        12, 1);
                double expected = kd.lossOn(manager, onSamples).getFloat();
                assertThat(losses.get((int) targets.step())).as("KD on the samples, teacher teacher-forced")
                        .isEqualTo(expected).isNotEqualTo(labelsLoss);
            }
            assertThat(sampled.get(0).targets()).as("each step samples with its own seed")
                    .isNotEqualTo(sampled.get(1).targets());
        }
        assertThat(objective.name()).isEqualTo("joint-teaching(fraction=0.5, logit-kd(tau=1.0))");
    }

    @Test
    void shouldNeverSampleWithOnlyTeacherAndAlwaysWithOnlyStudent() {
        TrainingBatch batch = fixture.batch();
        List<StudentTargets> teacherOnly = new ArrayList<>();
        List<StudentTargets> studentOnly = new ArrayList<>();
        JointTeachingObjective onlyTeacher = new JointTeachingObjective(fixture.student, kd(),
                JointTeachingSchedule.onlyTeacher(), ObjectiveFixture.MAX_TOKENS, 12, 1L).onStudentTargets(teacherOnly::add);
        JointTeachingObjective onlyStudent = new JointTeachingObjective(fixture.student, kd(),
                JointTeachingSchedule.onlyStudent(), ObjectiveFixture.MAX_TOKENS, 12, 1L).onStudentTargets(studentOnly::add);
        try (NDManager manager = fixture.manager.newSubManager()) {
            double labelsLoss = kd().loss(manager, batch, 0).getFloat();
            for (long step = 0; step < 3; step++) {
                assertThat(onlyTeacher.loss(manager, batch, step).getFloat()).isEqualTo((float) labelsLoss);
                onlyStudent.loss(manager, batch, step);
            }
        }
        assertThat(teacherOnly).isEmpty();
        assertThat(studentOnly).extracting(StudentTargets::step).containsExactly(0L, 1L, 2L);
    }

    private static DenseKdObjective kd() {
        return new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), TokenDivergence.logitKd(1));
    }

    private static long[][] sample(io.kdflow.core.model.Seq2SeqModel model, JointTeachingObjective objective,
            TrainingBatch batch, long step) {
        Generator generator = new Generator(model, GenerationConfig.fromModelConfig(model.config()));
        List<GenerationInput> inputs = new ArrayList<>();
        for (int row = 0; row < batch.examples().size(); row++) {
            inputs.add(GenerationInput.of(batch.pairs().sourceIds(row), batch.examples().get(row).exampleId()));
        }
        return generator.generate(inputs, objective.samplingSettings(step)).stream().map(Generation::best)
                .map(h -> h.tokens()).toArray(long[][]::new);
    }

    private static long[][] sources(TrainingBatch batch) {
        long[][] sources = new long[batch.examples().size()][];
        for (int row = 0; row < sources.length; row++) {
            sources[row] = batch.pairs().sourceIds(row);
        }
        return sources;
    }

    private static long[][] unpadded(long[][] labels) {
        return Arrays.stream(labels).map(row -> Arrays.stream(row).filter(id -> id != PairBatch.IGNORED).toArray())
                .toArray(long[][]::new);
    }

    private static List<Long> studentSteps(JointTeachingSchedule schedule, int steps) {
        return LongStream.range(0, steps).filter(schedule::studentStep).boxed().toList();
    }
}
