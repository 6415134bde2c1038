package io.kdflow.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.wire.SparseDistribution;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The KD losses from the logits at the counted positions only equal the (B, T, V) losses with the mask: value
 * and the gradient at every counted position, with ragged rows and a row without counted positions.
 */
class PackedDivergenceTest {

    private static final long IGNORED = Labels.IGNORE_INDEX;
    private static final long[][] LABELS = {
        {3, 1, 4, IGNORED}, {IGNORED, IGNORED, IGNORED, IGNORED}, {5, IGNORED, 2, 6}};

    @Test
    void shouldGiveLogitKdsPerExampleMean() {
        for (double tau : new double[] {1, 2}) {
            LogitKd loss = new LogitKd(tau);
            compare(loss::dense, loss::packed);
        }
    }

    @Test
    void shouldGiveGeneralizedJsdsTokenMean() {
        for (double beta : new double[] {0, 0.5, 1}) {
            GeneralizedJsd loss = new GeneralizedJsd(beta, 1.5);
            compare(loss::dense, loss::packed);
        }
    }

    @Test
    void shouldGiveTheSparseRecordLossesFromTheCountedPositionsOnly() {
        for (double tau : new double[] {1, 2}) {
            LogitKd kd = new LogitKd(tau);
            compareSparse(new int[] {3, 1, 4}, (student, teacher, mask) -> kd.sparse(student, teacher, mask),
                    (student, teacher, positions) -> kd.sparsePacked(student, teacher, positions));
        }
        for (double beta : new double[] {0, 0.5, 1}) {
            GeneralizedJsd jsd = new GeneralizedJsd(beta, 1);
            compareSparse(new int[] {3, 1, 4}, (student, teacher, mask) -> jsd.sparse(student, teacher, mask),
                    (student, teacher, positions) -> jsd.sparsePacked(student, teacher, positions));
        }
    }

    @Test
    void shouldNameTheCountedPositionThatHasNoSparseTeacherRow() {
        LogitKd kd = new LogitKd(1);
        assertThatThrownBy(() -> compareSparse(new int[] {3, 1, 3}, (student, teacher, mask) -> kd.sparse(student,
                teacher, mask), (student, teacher, positions) -> kd.sparsePacked(student, teacher, positions)))
                .hasMessage("target position 3 of example 2 is counted but has no teacher distribution row");
    }

    @Test
    void shouldGiveZeroLikeTheMaskedFormWhenNothingIsCounted() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = manager.create(new long[][] {{IGNORED, IGNORED}, {IGNORED, IGNORED}});
            NDArray student = manager.randomNormal(new Shape(2, 2, 7));
            NDArray teacher = manager.randomNormal(new Shape(2, 2, 7));
            TargetPositions none = TargetPositions.of(labels);
            NDArray empty = TargetPositions.select(student, none.indices(manager)); // (0, V)

            assertThat(empty.getShape().getShape()).containsExactly(0, 7);
            assertThat(new LogitKd(2).dense(student, teacher, labels.neq(IGNORED)).getFloat()).isZero();
            assertThat(new LogitKd(2).packed(empty, empty, none).getFloat()).isZero();
            assertThat(new GeneralizedJsd(0.5, 1).dense(student, teacher, labels.neq(IGNORED)).getFloat()).isZero();
            assertThat(new GeneralizedJsd(0.5, 1).packed(empty, empty, none).getFloat()).isZero();
        }
    }

    @Test
    void shouldRejectLogitsThatAreNotOneRowPerCountedPosition() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TargetPositions positions = TargetPositions.of(manager.create(LABELS)); // 6 positions
            NDArray logits = manager.randomNormal(new Shape(5, 7));

            assertThatThrownBy(() -> new LogitKd(1).packed(logits, logits, positions))
                    .hasMessage("packed logits have 5 rows for 6 counted positions");
            assertThatThrownBy(() -> new LogitKd(1).packed(logits.reshape(5, 1, 7), logits.reshape(5, 1, 7), positions))
                    .hasMessageStartingWith("packed student and teacher logits must both be (N, V)");
        }
    }

    private interface SparseGrid {
        NDArray loss(NDArray student, SparseTeacher teacher, NDArray mask);
    }

    private interface SparseRows {
        NDArray loss(NDArray student, SparseTeacher teacher, TargetPositions positions);
    }

    /** Records of {@code positions[b]} teacher rows (top 3 of 7) against the packed and the (B, T) student. */
    private static void compareSparse(int[] positions, SparseGrid grid, SparseRows rows) {
        try (NDManager manager = NDManager.newBaseManager()) {
            java.util.Random random = new java.util.Random(5);
            java.util.List<SparseDistribution> records = new java.util.ArrayList<>();
            for (int count : positions) {
                float[][] logProbs = new float[count][7];
                for (float[] row : logProbs) {
                    double norm = 0;
                    for (int v = 0; v < row.length; v++) {
                        row[v] = (float) (2 * random.nextGaussian());
                        norm += Math.exp(row[v]);
                    }
                    for (int v = 0; v < row.length; v++) {
                        row[v] -= (float) Math.log(norm);
                    }
                }
                records.add(SparseDistribution.fromLogProbs(logProbs, 3));
            }
            NDArray labels = manager.create(LABELS);
            SparseTeacher teacher = SparseTeacher.of(manager, records, 4, 7, DataType.FLOAT32);
            NDArray studentGrid = manager.randomNormal(0, 2, new Shape(3, 4, 7), DataType.FLOAT32);
            TargetPositions counted = TargetPositions.of(labels);
            NDArray at = counted.indices(manager);

            NDArray studentRows = TargetPositions.select(studentGrid, at).duplicate(); // (N, V), a leaf of its own
            studentRows.setRequiresGradient(true);
            float packedLoss = lossAfterBackward(() -> rows.loss(studentRows, teacher, counted));
            studentGrid.setRequiresGradient(true);
            float gridLoss = lossAfterBackward(() -> grid.loss(studentGrid, teacher, labels.neq(IGNORED)));

            assertSameLossAndGradient(packedLoss, gridLoss, studentRows.getGradient(),
                    TargetPositions.select(studentGrid.getGradient(), at));
        }
    }

    private interface Dense {
        NDArray loss(NDArray student, NDArray teacher, NDArray mask);
    }

    private interface Packed {
        NDArray loss(NDArray student, NDArray teacher, TargetPositions positions);
    }

    private static void compare(Dense dense, Packed packed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = manager.create(LABELS);
            NDArray studentGrid = manager.randomNormal(0, 2, new Shape(3, 4, 7), DataType.FLOAT32);
            NDArray teacherGrid = manager.randomNormal(0, 2, new Shape(3, 4, 7), DataType.FLOAT32);
            TargetPositions positions = TargetPositions.of(labels);
            NDArray at = positions.indices(manager);

            studentGrid.setRequiresGradient(true);
            float denseLoss = lossAfterBackward(() -> dense.loss(studentGrid, teacherGrid, labels.neq(IGNORED)));
            NDArray denseGradient = TargetPositions.select(studentGrid.getGradient(), at); // (N, V)

            NDArray studentRows = TargetPositions.select(studentGrid, at).duplicate(); // (N, V), a leaf of its own
            studentRows.setRequiresGradient(true);
            NDArray teacherRows = TargetPositions.select(teacherGrid, at); // (N, V)
            float packedLoss = lossAfterBackward(() -> packed.loss(studentRows, teacherRows, positions));

            assertSameLossAndGradient(packedLoss, denseLoss, studentRows.getGradient(), denseGradient);
        }
    }

    /** Runs {@code loss} with autograd on, back-propagates it and returns its value. */
    private static float lossAfterBackward(Supplier<NDArray> loss) {
        try (Autograd.Scope grad = Autograd.enabled()) {
            NDArray value = loss.get();
            float result = value.getFloat();
            Autograd.backward(value);
            return result;
        }
    }

    /** The packed loss equals the masked form's (1e-6 relative), and so does the gradient at every counted row. */
    private static void assertSameLossAndGradient(float packedLoss, float maskedLoss, NDArray packedGradient,
            NDArray maskedGradientAtCounted) {
        assertThat(packedLoss).isCloseTo(maskedLoss, within(1e-6f * Math.abs(maskedLoss))).isPositive();
        float[] expected = maskedGradientAtCounted.toFloatArray();
        float[] actual = packedGradient.toFloatArray();
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("gradient %d", i).isCloseTo(expected[i], within(1e-6f));
        }
    }
}
