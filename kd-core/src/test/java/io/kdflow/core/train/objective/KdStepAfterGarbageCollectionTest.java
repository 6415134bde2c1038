package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.testing.DirectBuffers;
import io.kdflow.core.train.AdamW;
import io.kdflow.core.train.LinearWarmupDecay;
import io.kdflow.core.train.StepResult;
import io.kdflow.core.train.Trainer;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingObjective;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's failure seen in about one CI run in five ("training diverged at optimizer step N ... non-finite
 * gradients in" nearly every parameter, with a finite loss), made to happen every time: a KD step whose JVM
 * collects garbage between the forward and the backward pass. Such a step must equal the same step without the
 * collection.
 */
class KdStepAfterGarbageCollectionTest {

    private static final long SEED = 7;

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

    @ParameterizedTest
    @ValueSource(strings = {"logit KD, teacher in the process", "logit KD from top-5 records"})
    void shouldTakeTheSameStepWhenMemoryIsCollectedBetweenForwardAndBackward(String objective) {
        StepResult undisturbed = step(objective, loss -> loss);
        StepResult collected = step(objective, loss -> {
            DirectBuffers.freeUnreachable();
            return loss;
        });

        assertThat(undisturbed.gradientNorm()).isFinite().isPositive();
        assertThat(collected.loss()).isEqualTo(undisturbed.loss());
        assertThat(collected.gradientNorm()).isEqualTo(undisturbed.gradientNorm());
    }

    /** One optimizer step of a fresh student (the teacher's decoder pruned) on the fixture's batch. */
    private static StepResult step(String objective, Function<NDArray, NDArray> beforeBackward) {
        try (NDManager manager = fixture.manager.newSubManager()) {
            Seq2SeqModel student = (Seq2SeqModel) LayerPruning.pruneDecoderDefault(fixture.teacher, manager);
            TrainingObjective kd = objective.endsWith("records")
                    ? new SparseKdObjective(student, TokenDivergence.logitKd(1))
                    : new DenseKdObjective(student, TeacherPass.eval(fixture.teacher), TokenDivergence.logitKd(1));
            TrainingBatch batch = objective.endsWith("records") ? withTopFiveRecords(fixture.batch()) : fixture.batch();
            try (AdamW optimizer = new AdamW(student.parameters(), AdamW.Settings.defaults(0.01))) {
                Trainer trainer = new Trainer(optimizer, new LinearWarmupDecay(1e-3, 0, 10), 1.0, manager);
                Engine.getInstance().setRandomSeed((int) SEED);
                Dropout.seed(SEED); // the student's dropout draws the same masks
                return trainer.step(List.of(batch), (m, b) -> beforeBackward.apply(kd.loss(m, b, 0)));
            } finally {
                student.close();
            }
        }
    }

    private static TrainingBatch withTopFiveRecords(TrainingBatch batch) {
        TeacherForcedSampleScorer scorer = new TeacherForcedSampleScorer(fixture.teacher,
                GenerationConfig.fromModelConfig(fixture.teacher.config()), 5, Quantization.FP32);
        return fixture.encoder.apply(ScoredRecords.withTeacherRecords(batch, scorer));
    }
}
