package io.kdflow.core.distill;

import static io.kdflow.core.distill.LossCheck.BATCH;
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
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.SparseDistribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The paper's logit KD against PyTorch (the fixture's {@code kd4gen_forward_kl}, float64 on both sides, so
 * loss and gradient agree within 1e-12: only summation order differs), its masking, and the sparse form:
 * equal to the dense loss at k = V and for a teacher without tail mass, and at k < V smaller than the dense
 * loss by exactly the tail's share of the KL.
 */
class LogitKdTest {

    /** float64 end to end: the only differences are the order of the sums (about 1e-15). */
    private static final double TOLERANCE = 1e-12;

    static Stream<JsonNode> references() {
        return Stream.of(LossFixture.root().get("kd4gen_forward_kl")).flatMap(node -> {
            JsonNode[] entries = new JsonNode[node.size()];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = node.get(i);
            }
            return Stream.of(entries);
        });
    }

    @ParameterizedTest
    @MethodSource("references")
    void shouldMatchPyTorchLossAndGradient(JsonNode reference) {
        double temperature = reference.get("temperature").asDouble();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = LossFixture.teacherLogits(manager); // (3, 5, 11) float64
            NDArray mask = TargetMask.fromLabels(LossFixture.labels(manager)); // (3, 5)

            LossCheck.Evaluated actual = evaluate(LossFixture.studentLogits(manager),
                    student -> new LogitKd(temperature).dense(student, teacher, mask));

            assertThat(actual.loss()).isCloseTo(reference.get("loss").asDouble(), within(TOLERANCE));
            assertClose(actual.gradient(), LossFixture.flatten(reference.get("grad_student_logits")), TOLERANCE,
                    "gradient at tau " + temperature);
        }
    }

    @Test
    void shouldReturnAFloat32LossForFloat32LogitsWithinFloatPrecision() {
        JsonNode reference = LossFixture.root().get("kd4gen_forward_kl").get(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = LossFixture.studentLogits(manager).toType(DataType.FLOAT32, false);
            NDArray teacher = LossFixture.teacherLogits(manager).toType(DataType.FLOAT32, false);

            NDArray loss = new LogitKd(1).dense(student, teacher, TargetMask.fromLabels(LossFixture.labels(manager)));

            assertThat(loss.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(loss.getShape().dimension()).isZero();
            // float32 log-softmax of logits of size ~5: a few ulps of 1 per term, a few 1e-7 in all
            assertThat((double) loss.getFloat()).isCloseTo(reference.get("loss").asDouble(), within(1e-5));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 2})
    void shouldIgnoreMaskedPositionsEntirely(double temperature) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager); // (3, 5)
            NDArray mask = TargetMask.fromLabels(labels); // (3, 5)
            NDArray student = LossFixture.studentLogits(manager); // (3, 5, 11)
            NDArray teacher = LossFixture.teacherLogits(manager); // (3, 5, 11)
            NDArray ignored = mask.logicalNot().expandDims(2).broadcast(student.getShape()); // (3, 5, 11)
            NDArray noise = manager.randomNormal(0, 50, student.getShape(), DataType.FLOAT64); // (3, 5, 11)
            LogitKd kd = new LogitKd(temperature);

            LossCheck.Evaluated clean = evaluate(student, s -> kd.dense(s, teacher, mask));
            LossCheck.Evaluated noisy = evaluate(student.add(noise.mul(ignored)),
                    s -> kd.dense(s, teacher.add(noise.mul(ignored).mul(-3)), mask));

            assertThat(noisy.loss()).isEqualTo(clean.loss());
            assertThat(noisy.gradient()).containsExactly(clean.gradient());
            boolean[] ignoredFlags = ignored.toBooleanArray();
            for (int i = 0; i < ignoredFlags.length; i++) {
                if (ignoredFlags[i]) {
                    assertThat(clean.gradient()[i]).as("gradient at ignored element " + i).isZero();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 2, 0.5})
    void shouldEqualTheDenseLossAndGradientWhenKCoversTheVocabulary(double temperature) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager);
            float[] teacherLogProbs = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager)
                    .toDoubleArray());
            List<SparseDistribution> records = LossCheck.topK(teacherLogProbs,
                    LossCheck.labelCounts(labels.toLongArray()), VOCAB);
            SparseTeacher sparse = SparseTeacher.of(manager, records, POSITIONS, VOCAB, DataType.FLOAT64);
            NDArray denseTeacher = LossCheck.asLogits(manager, teacherLogProbs); // the records' teacher, dense
            NDArray mask = TargetMask.fromLabels(labels);
            LogitKd kd = new LogitKd(temperature);

            LossCheck.Evaluated dense = evaluate(LossFixture.studentLogits(manager),
                    s -> kd.dense(s, denseTeacher, mask));
            LossCheck.Evaluated fromRecords = evaluate(LossFixture.studentLogits(manager),
                    s -> kd.sparse(s, sparse, mask));

            assertThat(records.get(0).tailLogMass(0)).isEqualTo(Float.NEGATIVE_INFINITY);
            assertThat(fromRecords.loss()).isCloseTo(dense.loss(), within(TOLERANCE));
            assertClose(fromRecords.gradient(), dense.gradient(), TOLERANCE, "sparse gradient at k = V");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 11})
    void shouldIgnoreMaskedPositionsOfSparseRecordsEntirely(int k) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager);
            float[] teacherLogProbs = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager)
                    .toDoubleArray());
            SparseTeacher sparse = SparseTeacher.of(manager,
                    LossCheck.topK(teacherLogProbs, LossCheck.labelCounts(labels.toLongArray()), k), POSITIONS, VOCAB,
                    DataType.FLOAT64);
            NDArray mask = TargetMask.fromLabels(labels); // (3, 5)
            NDArray student = LossFixture.studentLogits(manager); // (3, 5, 11)
            NDArray ignored = mask.logicalNot().expandDims(2).broadcast(student.getShape()); // (3, 5, 11)
            NDArray noise = manager.randomNormal(0, 50, student.getShape(), DataType.FLOAT64); // (3, 5, 11)
            LogitKd kd = new LogitKd(2);

            LossCheck.Evaluated clean = evaluate(student, s -> kd.sparse(s, sparse, mask));
            LossCheck.Evaluated noisy = evaluate(student.add(noise.mul(ignored)), s -> kd.sparse(s, sparse, mask));

            assertThat(clean.loss()).isPositive();
            assertThat(noisy.loss()).isEqualTo(clean.loss());
            assertThat(noisy.gradient()).containsExactly(clean.gradient());
        }
    }

    @Test
    void shouldAgreeWithTheDenseLossInFloat32AtKEqualToTheVocabulary() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager);
            float[] teacherLogProbs = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager)
                    .toDoubleArray());
            SparseTeacher sparse = SparseTeacher.of(manager,
                    LossCheck.topK(teacherLogProbs, LossCheck.labelCounts(labels.toLongArray()), VOCAB), POSITIONS,
                    VOCAB, DataType.FLOAT32);
            NDArray student = LossFixture.studentLogits(manager).toType(DataType.FLOAT32, false); // (3, 5, 11)
            NDArray teacher = LossCheck.asLogits(manager, teacherLogProbs).toType(DataType.FLOAT32, false);
            NDArray mask = TargetMask.fromLabels(labels);

            NDArray fromRecords = new LogitKd(1).sparse(student, sparse, mask);
            NDArray dense = new LogitKd(1).dense(student, teacher, mask);

            assertThat(fromRecords.getDataType()).isEqualTo(DataType.FLOAT32);
            // the same float32 operations but for the bucket order and the sum of 11 terms: a few ulps of ~3.5
            assertThat(fromRecords.getFloat()).isCloseTo(dense.getFloat(), within(2e-6f));
        }
    }

    @Test
    void shouldFallShortOfTheDenseLossByTheTailsShareAtTemperatureOne() {
        int k = 3;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager);
            int[] counts = LossCheck.labelCounts(labels.toLongArray());
            float[] teacherLogProbs = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager)
                    .toDoubleArray());
            List<SparseDistribution> records = LossCheck.topK(teacherLogProbs, counts, k);
            SparseTeacher sparse = SparseTeacher.of(manager, records, POSITIONS, VOCAB, DataType.FLOAT64);
            NDArray mask = TargetMask.fromLabels(labels);
            NDArray student = LossFixture.studentLogits(manager);

            double dense = new LogitKd(1).dense(student, LossCheck.asLogits(manager, teacherLogProbs), mask)
                    .getDouble();
            double fromRecords = new LogitKd(1).sparse(student, sparse, mask).getDouble();

            double[] studentLogProbs = LossCheck.logSoftmax(student.toDoubleArray(), VOCAB, 1);
            double tailShare = 0;
            for (int b = 0; b < BATCH; b++) {
                double sum = 0;
                for (int t = 0; t < counts[b]; t++) {
                    sum += tailKl(records.get(b), t, teacherLogProbs, studentLogProbs, b * POSITIONS + t);
                }
                tailShare += sum / counts[b] / BATCH;
            }
            assertThat(tailShare).isPositive();
            // the records' tail_log_mass is a float32 of its own (relative error up to 6e-8), the identity above
            // uses the tail mass summed from the log-probs: they differ by about 1e-8 of the loss
            assertThat(dense - fromRecords).isCloseTo(tailShare, within(1e-7));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 2})
    void shouldMatchTheBucketDefinitionAtKBelowTheVocabulary(double temperature) {
        int k = 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager);
            int[] counts = LossCheck.labelCounts(labels.toLongArray());
            float[] teacherLogProbs = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager)
                    .toDoubleArray());
            List<SparseDistribution> records = LossCheck.topK(teacherLogProbs, counts, k);
            NDArray student = LossFixture.studentLogits(manager);

            double actual = new LogitKd(temperature).sparse(student,
                    SparseTeacher.of(manager, records, POSITIONS, VOCAB, DataType.FLOAT64),
                    TargetMask.fromLabels(labels)).getDouble();

            double[] studentLogProbs = LossCheck.logSoftmax(student.toDoubleArray(), VOCAB, temperature);
            double expected = 0;
            for (int b = 0; b < BATCH; b++) {
                double sum = 0;
                for (int t = 0; t < counts[b]; t++) {
                    sum += bucketKl(records.get(b), t, studentLogProbs, (b * POSITIONS + t) * VOCAB, temperature);
                }
                expected += sum / counts[b] / BATCH;
            }
            assertThat(actual).isCloseTo(expected * temperature * temperature, within(TOLERANCE));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 2})
    void shouldEqualTheDenseLossWhenTheTeacherHasNoTailMass(double temperature) {
        int k = 3;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = LossFixture.labels(manager);
            int[] counts = LossCheck.labelCounts(labels.toLongArray());
            float[] full = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager).toDoubleArray());
            // the teacher renormalised on its top-3: every other token gets probability 0 (logit -inf)
            float[] truncated = new float[full.length];
            List<SparseDistribution> topRecords = LossCheck.topK(full, new int[] {POSITIONS, POSITIONS, POSITIONS},
                    k);
            Arrays.fill(truncated, Float.NEGATIVE_INFINITY);
            List<SparseDistribution> records = new ArrayList<>();
            for (int b = 0; b < BATCH; b++) {
                SparseDistribution top = topRecords.get(b);
                int[] ids = top.tokenIds();
                float[] logProbs = new float[ids.length];
                for (int t = 0; t < POSITIONS; t++) {
                    double norm = 0;
                    for (int j = 0; j < k; j++) {
                        norm += Math.exp(top.logProb(t, j));
                    }
                    for (int j = 0; j < k; j++) {
                        logProbs[t * k + j] = (float) (top.logProb(t, j) - Math.log(norm));
                        truncated[(b * POSITIONS + t) * VOCAB + ids[t * k + j]] = logProbs[t * k + j];
                    }
                }
                float[] noTail = new float[counts[b]];
                Arrays.fill(noTail, Float.NEGATIVE_INFINITY);
                records.add(new SparseDistribution(counts[b], k, VOCAB,
                        Arrays.copyOf(ids, counts[b] * k), Arrays.copyOf(logProbs, counts[b] * k),
                        noTail, 1f));
            }
            NDArray mask = TargetMask.fromLabels(labels);
            LogitKd kd = new LogitKd(temperature);

            LossCheck.Evaluated dense = evaluate(LossFixture.studentLogits(manager),
                    s -> kd.dense(s, LossCheck.asLogits(manager, truncated), mask));
            LossCheck.Evaluated fromRecords = evaluate(LossFixture.studentLogits(manager),
                    s -> kd.sparse(s, SparseTeacher.of(manager, records, POSITIONS, VOCAB, DataType.FLOAT64), mask));

            assertThat(dense.loss()).isPositive();
            assertThat(fromRecords.loss()).isCloseTo(dense.loss(), within(TOLERANCE));
            assertClose(fromRecords.gradient(), dense.gradient(), TOLERANCE, "gradient without teacher tail");
        }
    }

    @Test
    void shouldRejectRecordsThatDoNotFitTheBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[][] rows = {{-0.1f, -2.5f, -4f}, {-0.2f, -2f, -3f}};
            SparseDistribution twoPositions = SparseDistribution.fromLogProbs(rows, 2);
            SparseDistribution oneK = SparseDistribution.fromLogProbs(rows, 1);

            assertThatThrownBy(() -> SparseTeacher.of(manager, List.of(twoPositions), 2, 5, DataType.FLOAT32))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("TeacherDistribution of example 0 in the batch: vocab_size is 3, the student's "
                            + "vocabulary has 5 tokens");
            assertThatThrownBy(() -> SparseTeacher.of(manager, List.of(twoPositions, oneK), 2, 3, DataType.FLOAT32))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("TeacherDistribution of example 1 in the batch: k is 1, example 0 has k=2; one batch "
                            + "needs one k");
            assertThatThrownBy(() -> SparseTeacher.of(manager, List.of(twoPositions), 1, 3, DataType.FLOAT32))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("TeacherDistribution of example 0 in the batch: positions is 2, more than the "
                            + "batch's 1 target positions");
            SparseDistribution hot = SparseDistribution.fromLogProbs(rows, 2, 2f);
            assertThatThrownBy(() -> SparseTeacher.of(manager, List.of(hot), 2, 3, DataType.FLOAT32))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("TeacherDistribution of example 0 in the batch: temperature is 2.0; the sparse "
                            + "losses take the unscaled teacher distribution (temperature 1)");
        }
    }

    @Test
    void shouldRefuseACountedPositionWithoutATeacherRow() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[][] rows = {{-0.1f, -2.5f, -4f}};
            SparseTeacher teacher = SparseTeacher.of(manager, List.of(SparseDistribution.fromLogProbs(rows, 2)), 2,
                    3, DataType.FLOAT32);
            NDArray student = manager.zeros(new Shape(1, 2, 3)); // (1, 2, 3)
            NDArray mask = manager.create(new boolean[] {true, true}, new Shape(1, 2));

            assertThatThrownBy(() -> new LogitKd(1).sparse(student, teacher, mask))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("target position 1 of example 0 is counted but has no teacher distribution row");
            assertThatThrownBy(() -> new LogitKd(0))
                    .hasMessage("logit KD temperature must be finite and > 0, got 0.0");
        }
    }

    /** Teacher tail mass times KL(teacher || student) restricted to the tail (tau = 1). */
    private static double tailKl(SparseDistribution record, int position, float[] teacherLogProbs,
            double[] studentLogProbs, int row) {
        boolean[] top = new boolean[VOCAB];
        for (int j = 0; j < record.k(); j++) {
            top[record.tokenId(position, j)] = true;
        }
        double teacherTail = 0;
        double studentTail = 0;
        for (int v = 0; v < VOCAB; v++) {
            if (!top[v]) {
                teacherTail += Math.exp(teacherLogProbs[row * VOCAB + v]);
                studentTail += Math.exp(studentLogProbs[row * VOCAB + v]);
            }
        }
        double kl = 0;
        for (int v = 0; v < VOCAB; v++) {
            if (!top[v]) {
                double p = Math.exp(teacherLogProbs[row * VOCAB + v]) / teacherTail;
                double q = Math.exp(studentLogProbs[row * VOCAB + v]) / studentTail;
                kl += p * Math.log(p / q);
            }
        }
        return teacherTail * kl;
    }

    /** KL over the k + 1 buckets, teacher tempered as one token per bucket, straight from the definition. */
    private static double bucketKl(SparseDistribution record, int position, double[] studentLogProbs, int offset,
            double temperature) {
        int k = record.k();
        double[] teacher = new double[k + 1];
        double norm = 0;
        for (int j = 0; j <= k; j++) {
            double logProb = j < k ? record.logProb(position, j) : record.tailLogMass(position);
            teacher[j] = Math.exp(logProb / temperature);
            norm += teacher[j];
        }
        double[] student = new double[k + 1];
        double studentTop = 0;
        for (int j = 0; j < k; j++) {
            student[j] = Math.exp(studentLogProbs[offset + record.tokenId(position, j)]);
            studentTop += student[j];
        }
        student[k] = 1 - studentTop;
        double kl = 0;
        for (int j = 0; j <= k; j++) {
            double p = teacher[j] / norm;
            kl += p * Math.log(p / student[j]);
        }
        return kl;
    }
}
