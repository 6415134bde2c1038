package io.kdflow.core.distill;

import static io.kdflow.core.distill.LossCheck.POSITIONS;
import static io.kdflow.core.distill.LossCheck.VOCAB;
import static io.kdflow.core.distill.LossCheck.assertClose;
import static io.kdflow.core.distill.LossCheck.evaluate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.kdflow.core.wire.SparseDistribution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TRL's generalized JSD against TRL itself (the fixture's {@code trl_generalized_jsd}: five betas times two
 * temperatures, float64, loss and gradient within 1e-12), its masking, and the sparse form: equal to the dense
 * loss at k = V, and never above it at k < V and tau = 1 (coarsening cannot increase an f-divergence).
 */
class GeneralizedJsdTest {

    /** float64 end to end: the only differences are the order of the sums (about 1e-15). */
    private static final double TOLERANCE = 1e-12;

    static List<JsonNode> references() {
        List<JsonNode> entries = new ArrayList<>();
        LossFixture.root().get("trl_generalized_jsd").forEach(entries::add);
        return entries;
    }

    @Test
    void shouldCoverFiveBetasAtTwoTemperatures() {
        assertThat(references()).hasSize(10);
    }

    @ParameterizedTest
    @MethodSource("references")
    void shouldMatchTrlLossAndGradient(JsonNode reference) {
        double beta = reference.get("beta").asDouble();
        double temperature = reference.get("temperature").asDouble();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = LossFixture.teacherLogits(manager); // (3, 5, 11) float64
            NDArray mask = TargetMask.fromLabels(LossFixture.labels(manager)); // (3, 5)

            LossCheck.Evaluated actual = evaluate(LossFixture.studentLogits(manager),
                    student -> new GeneralizedJsd(beta, temperature).dense(student, teacher, mask));

            assertThat(actual.loss()).isCloseTo(reference.get("loss").asDouble(), within(TOLERANCE));
            assertClose(actual.gradient(), LossFixture.flatten(reference.get("grad_student_logits")), TOLERANCE,
                    "gradient at beta " + beta + ", tau " + temperature);
        }
    }

    @Test
    void shouldNameForwardAndReverseKl() {
        assertThat(GeneralizedJsd.forwardKl(2)).isEqualTo(new GeneralizedJsd(0, 2));
        assertThat(GeneralizedJsd.reverseKl(1)).isEqualTo(new GeneralizedJsd(1, 1));
        assertThatThrownBy(() -> new GeneralizedJsd(1.5, 1))
                .hasMessage("generalized JSD beta must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new GeneralizedJsd(0.5, Double.NaN))
                .hasMessage("generalized JSD temperature must be finite and > 0, got NaN");
    }

    @Test
    void shouldKeepTheLogitsTypeAndMatchInFloat32WithinFloatPrecision() {
        JsonNode reference = references().get(4); // beta 0.5, tau 1
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = LossFixture.studentLogits(manager).toType(DataType.FLOAT32, false);
            NDArray teacher = LossFixture.teacherLogits(manager).toType(DataType.FLOAT32, false);

            NDArray loss = new GeneralizedJsd(0.5, 1).dense(student, teacher,
                    TargetMask.fromLabels(LossFixture.labels(manager)));

            assertThat(reference.get("beta").asDouble()).isEqualTo(0.5);
            assertThat(loss.getDataType()).isEqualTo(DataType.FLOAT32);
            // float32 log-softmax and mixture of values of size ~5: a few 1e-7 in all
            assertThat((double) loss.getFloat()).isCloseTo(reference.get("loss").asDouble(), within(1e-5));
        }
    }

    @Test
    void shouldGiveZeroRatherThanNanWhenNoPositionCounts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = LossFixture.studentLogits(manager); // (3, 5, 11)
            NDArray teacher = LossFixture.teacherLogits(manager); // (3, 5, 11)
            NDArray none = manager.zeros(new Shape(3, 5), DataType.BOOLEAN); // (3, 5)

            assertThat(new GeneralizedJsd(0.5, 1).dense(student, teacher, none).getDouble()).isZero();
            assertThat(new LogitKd(2).dense(student, teacher, none).getDouble()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.5, 1})
    void shouldIgnoreMaskedPositionsEntirely(double beta) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray mask = TargetMask.fromLabels(LossFixture.labels(manager)); // (3, 5)
            NDArray student = LossFixture.studentLogits(manager); // (3, 5, 11)
            NDArray teacher = LossFixture.teacherLogits(manager); // (3, 5, 11)
            NDArray ignored = mask.logicalNot().expandDims(2).broadcast(student.getShape()); // (3, 5, 11)
            NDArray noise = manager.randomNormal(0, 50, student.getShape(), DataType.FLOAT64); // (3, 5, 11)
            GeneralizedJsd jsd = new GeneralizedJsd(beta, 2);

            LossCheck.Evaluated clean = evaluate(student, s -> jsd.dense(s, teacher, mask));
            LossCheck.Evaluated noisy = evaluate(student.add(noise.mul(ignored)),
                    s -> jsd.dense(s, teacher.sub(noise.mul(ignored)), mask));

            assertThat(noisy.loss()).isEqualTo(clean.loss());
            assertThat(noisy.gradient()).containsExactly(clean.gradient());
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "0.1, 2", "0.5, 1", "0.9, 0.5", "1, 1", "1, 2"})
    void shouldEqualTheDenseLossAndGradientWhenKCoversTheVocabulary(double beta, double temperature) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager);
            float[] teacherLogProbs = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager)
                    .toDoubleArray());
            List<SparseDistribution> records = LossCheck.topK(teacherLogProbs,
                    LossCheck.labelCounts(labels.toLongArray()), VOCAB);
            SparseTeacher sparse = SparseTeacher.of(manager, records, POSITIONS, VOCAB, DataType.FLOAT64);
            NDArray denseTeacher = LossCheck.asLogits(manager, teacherLogProbs); // the records' teacher, dense
            NDArray mask = TargetMask.fromLabels(labels);
            GeneralizedJsd jsd = new GeneralizedJsd(beta, temperature);

            LossCheck.Evaluated dense = evaluate(LossFixture.studentLogits(manager),
                    s -> jsd.dense(s, denseTeacher, mask));
            LossCheck.Evaluated fromRecords = evaluate(LossFixture.studentLogits(manager),
                    s -> jsd.sparse(s, sparse, mask));

            assertThat(fromRecords.loss()).isCloseTo(dense.loss(), within(TOLERANCE));
            assertClose(fromRecords.gradient(), dense.gradient(), TOLERANCE, "sparse gradient at k = V");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.1, 0.5, 0.9, 1})
    void shouldStayBelowTheDenseLossAtKBelowTheVocabulary(double beta) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager);
            float[] teacherLogProbs = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager)
                    .toDoubleArray());
            NDArray mask = TargetMask.fromLabels(labels);
            NDArray student = LossFixture.studentLogits(manager);
            GeneralizedJsd jsd = new GeneralizedJsd(beta, 1);
            double dense = jsd.dense(student, LossCheck.asLogits(manager, teacherLogProbs), mask).getDouble();

            double previous = 0;
            for (int k = 1; k <= VOCAB; k++) {
                SparseTeacher sparse = SparseTeacher.of(manager,
                        LossCheck.topK(teacherLogProbs, LossCheck.labelCounts(labels.toLongArray()), k), POSITIONS,
                        VOCAB, DataType.FLOAT64);
                double fromRecords = jsd.sparse(student, sparse, mask).getDouble();

                // float32 records: their top-k and tail add up to 1 only within ~1e-7
                assertThat(fromRecords).as("k = " + k).isPositive().isLessThanOrEqualTo(dense + 1e-7);
                // refining the buckets (k -> k + 1 splits the tail) can only add divergence
                assertThat(fromRecords).as("k = " + k).isGreaterThanOrEqualTo(previous - 1e-7);
                previous = fromRecords;
            }
            assertThat(previous).isCloseTo(dense, within(TOLERANCE));
        }
    }
}
