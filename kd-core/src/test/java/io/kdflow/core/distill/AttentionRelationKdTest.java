package io.kdflow.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attention-relation KD on small random projections in float64: the value against the formula written as
 * plain loops, the gradient against central finite differences, masking and the causal restriction.
 */
class AttentionRelationKdTest {

    private static final int BATCH = 2;
    private static final int LENGTH = 4;
    private static final int STUDENT_WIDTH = 6;
    private static final int TEACHER_WIDTH = 8;
    private static final int HEADS = 2;
    /** Example 1 has a padded last position. */
    private static final boolean[] MASK = {true, true, true, true, true, true, true, false};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldMatchTheFormulaWrittenAsLoops(boolean causal) {
        double[] student = random(11, BATCH * LENGTH * STUDENT_WIDTH);
        double[] teacher = random(12, BATCH * LENGTH * TEACHER_WIDTH);
        try (NDManager manager = NDManager.newBaseManager()) {
            double actual = new AttentionRelationKd(HEADS).loss(studentArray(manager, student),
                    teacherArray(manager, teacher), maskArray(manager), causal).getDouble();

            assertThat(actual).isPositive();
            // float64 on both sides, sums of a handful of terms
            assertThat(actual).isCloseTo(reference(student, teacher, causal), within(1e-12));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldHaveTheGradientOfCentralFiniteDifferences(boolean causal) {
        double[] student = random(21, BATCH * LENGTH * STUDENT_WIDTH);
        double[] teacher = random(22, BATCH * LENGTH * TEACHER_WIDTH);
        double step = 1e-6;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacherArray = teacherArray(manager, teacher);
            NDArray mask = maskArray(manager);
            AttentionRelationKd kd = new AttentionRelationKd(HEADS);

            LossCheck.Evaluated evaluated = LossCheck.evaluate(studentArray(manager, student),
                    s -> kd.loss(s, teacherArray, mask, causal));

            for (int i = 0; i < student.length; i++) {
                double[] up = student.clone();
                double[] down = student.clone();
                up[i] += step;
                down[i] -= step;
                double difference = (kd.loss(studentArray(manager, up), teacherArray, mask, causal).getDouble()
                        - kd.loss(studentArray(manager, down), teacherArray, mask, causal).getDouble()) / (2 * step);
                // central differences: truncation ~ step^2, rounding ~ 1e-16 / step = 1e-10
                assertThat(evaluated.gradient()[i]).as("d loss / d student[%d]", i)
                        .isCloseTo(difference, within(1e-8));
            }
            // the padded position of example 1 gets no gradient
            for (int d = 0; d < STUDENT_WIDTH; d++) {
                assertThat(evaluated.gradient()[(LENGTH + 3) * STUDENT_WIDTH + d]).isZero();
            }
        }
    }

    @Test
    void shouldBeZeroForTheSameRelations() {
        double[] projection = random(31, BATCH * LENGTH * TEACHER_WIDTH);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray same = teacherArray(manager, projection);

            double loss = new AttentionRelationKd(4).loss(same, same, maskArray(manager), true).getDouble();

            assertThat(loss).isCloseTo(0, within(1e-15));
        }
    }

    @Test
    void shouldIgnorePaddedPositionsAndTheFutureWhenCausal() {
        double[] student = random(41, BATCH * LENGTH * STUDENT_WIDTH);
        double[] teacher = random(42, BATCH * LENGTH * TEACHER_WIDTH);
        try (NDManager manager = NDManager.newBaseManager()) {
            AttentionRelationKd kd = new AttentionRelationKd(HEADS);
            NDArray mask = maskArray(manager);
            double base = kd.loss(studentArray(manager, student), teacherArray(manager, teacher), mask, true)
                    .getDouble();
            double[] paddedChanged = student.clone();
            double[] lastChanged = student.clone();
            for (int d = 0; d < STUDENT_WIDTH; d++) {
                paddedChanged[(LENGTH + 3) * STUDENT_WIDTH + d] += 100; // example 1, padded position 3
                lastChanged[3 * STUDENT_WIDTH + d] += 1; // example 0, last position
            }

            double padded = kd.loss(studentArray(manager, paddedChanged), teacherArray(manager, teacher), mask, true)
                    .getDouble();
            double last = kd.loss(studentArray(manager, lastChanged), teacherArray(manager, teacher), mask, true)
                    .getDouble();

            assertThat(padded).isEqualTo(base);
            // the last position only enters its own row when causal: rows 0..2 are unchanged
            double lastRowBefore = reference(student, teacher, true) - rowsOtherThanLast(student, teacher);
            double lastRowAfter = reference(lastChanged, teacher, true) - rowsOtherThanLast(lastChanged, teacher);
            assertThat(last - base).isCloseTo(lastRowAfter - lastRowBefore, within(1e-12));
            assertThat(rowsOtherThanLast(lastChanged, teacher)).isCloseTo(rowsOtherThanLast(student, teacher),
                    within(1e-15));
        }
    }

    /**
     * Two positions, one relation head of width 2, worked out by hand: student rows (1, 0) and (0, 1), teacher
     * rows (1, 1) and (1, 0). Scores X X^T / sqrt(2): student [[a, 0], [0, a]], teacher [[2a, a], [a, a]] with
     * a = 1/sqrt(2).
     */
    @Test
    void shouldMatchAHandComputationOnFixedTensors() {
        double a = 1 / Math.sqrt(2);
        double e = Math.exp(a);
        // student rows: row 0 softmax(a, 0) = (e, 1)/(e + 1); row 1 softmax(0, a) = (1, e)/(e + 1)
        double[] student0 = {e / (e + 1), 1 / (e + 1)};
        double[] student1 = {1 / (e + 1), e / (e + 1)};
        // teacher rows: row 0 softmax(2a, a) = (e, 1)/(e + 1) as well; row 1 softmax(a, a) = (1/2, 1/2)
        double[] teacher0 = {e / (e + 1), 1 / (e + 1)};
        double[] teacher1 = {0.5, 0.5};
        double kl0 = teacher0[0] * Math.log(teacher0[0] / student0[0]) + teacher0[1] * Math.log(teacher0[1] / student0[1]);
        double kl1 = teacher1[0] * Math.log(teacher1[0] / student1[0]) + teacher1[1] * Math.log(teacher1[1] / student1[1]);
        assertThat(kl0).isZero(); // the same row distribution
        // row 1 alone: KL((1/2, 1/2) || (1, e)/(e + 1)) = log((e + 1) / 2) - a / 2
        assertThat(kl1).isCloseTo(Math.log((e + 1) / 2) - a / 2, within(1e-15));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(new double[] {1, 0, 0, 1}, new Shape(1, 2, 2));
            NDArray teacher = manager.create(new double[] {1, 1, 1, 0}, new Shape(1, 2, 2));
            AttentionRelationKd kd = new AttentionRelationKd(1);

            double full = kd.loss(student, teacher, manager.create(new boolean[] {true, true}, new Shape(1, 2)), false)
                    .getDouble();
            // causal: row 0 sees only itself (KL 0); row 1 sees both, as above; still 2 rows to average over
            double causal = kd.loss(student, teacher, manager.create(new boolean[] {true, true}, new Shape(1, 2)),
                    true).getDouble();
            // position 1 padded: row 0 over key 0 alone, 1 row
            double padded = kd.loss(student, teacher, manager.create(new boolean[] {true, false}, new Shape(1, 2)),
                    false).getDouble();

            // float64 through a handful of operations
            assertThat(full).isCloseTo((kl0 + kl1) / 2, within(1e-14));
            assertThat(causal).isCloseTo(kl1 / 2, within(1e-14));
            assertThat(padded).isCloseTo(0, within(1e-14));
        }
    }

    @Test
    void shouldRejectWidthsThatDoNotSplitIntoTheRelationHeads() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.zeros(new Shape(1, 2, 6), DataType.FLOAT64);
            NDArray teacher = manager.zeros(new Shape(1, 2, 8), DataType.FLOAT64);
            NDArray mask = manager.create(new boolean[] {true, true}, new Shape(1, 2));

            assertThatThrownBy(() -> new AttentionRelationKd(4).loss(student, teacher, mask, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("width 6 is not divisible by 4 relation heads");
            assertThatThrownBy(() -> new AttentionRelationKd(2).loss(student, teacher.reshape(1, 8, 2), mask, false))
                    .hasMessage("student and teacher projections must be (B, L, D) over the same positions, got "
                            + "(1, 2, 6) and (1, 8, 2)");
        }
    }

    /** The loss restricted to rows 0..L-2 of every example (each divided by the example's full count). */
    private static double rowsOtherThanLast(double[] student, double[] teacher) {
        return reference(student, teacher, true, LENGTH - 1);
    }

    private static double reference(double[] student, double[] teacher, boolean causal) {
        return reference(student, teacher, causal, LENGTH);
    }

    /** The class's formula as loops, over rows i < rowLimit. */
    private static double reference(double[] student, double[] teacher, boolean causal, int rowLimit) {
        double total = 0;
        for (int b = 0; b < BATCH; b++) {
            int count = 0;
            for (int i = 0; i < LENGTH; i++) {
                count += MASK[b * LENGTH + i] ? 1 : 0;
            }
            for (int a = 0; a < HEADS; a++) {
                double sum = 0;
                for (int i = 0; i < rowLimit; i++) {
                    if (!MASK[b * LENGTH + i]) {
                        continue;
                    }
                    double[] p = relationRow(teacher, TEACHER_WIDTH, b, a, i, causal);
                    double[] q = relationRow(student, STUDENT_WIDTH, b, a, i, causal);
                    for (int j = 0; j < LENGTH; j++) {
                        if (p[j] > 0) {
                            sum += p[j] * Math.log(p[j] / q[j]);
                        }
                    }
                }
                total += sum / Math.max(1, count);
            }
        }
        return total / (BATCH * HEADS);
    }

    /** Row i of the softmax relation of head a over the allowed keys (others 0). */
    private static double[] relationRow(double[] x, int width, int b, int a, int i, boolean causal) {
        int headWidth = width / HEADS;
        double[] scores = new double[LENGTH];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < LENGTH; j++) {
            boolean allowed = MASK[b * LENGTH + j] && (!causal || j <= i);
            if (!allowed) {
                scores[j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double dot = 0;
            for (int d = 0; d < headWidth; d++) {
                int offset = a * headWidth + d;
                dot += x[(b * LENGTH + i) * width + offset] * x[(b * LENGTH + j) * width + offset];
            }
            scores[j] = dot / Math.sqrt(headWidth);
            max = Math.max(max, scores[j]);
        }
        double norm = 0;
        for (int j = 0; j < LENGTH; j++) {
            norm += Math.exp(scores[j] - max);
        }
        double[] row = new double[LENGTH];
        for (int j = 0; j < LENGTH; j++) {
            row[j] = Math.exp(scores[j] - max) / norm;
        }
        return row;
    }

    private static double[] random(long seed, int size) {
        Random random = new Random(seed);
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    private static NDArray studentArray(NDManager manager, double[] values) {
        return manager.create(values, new Shape(BATCH, LENGTH, STUDENT_WIDTH)); // (2, 4, 6)
    }

    private static NDArray teacherArray(NDManager manager, double[] values) {
        return manager.create(values, new Shape(BATCH, LENGTH, TEACHER_WIDTH)); // (2, 4, 8)
    }

    private static NDArray maskArray(NDManager manager) {
        return manager.create(MASK, new Shape(BATCH, LENGTH)); // (2, 4)
    }
}
