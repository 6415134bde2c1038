package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.wire.SparseDistribution;
import java.util.List;

/**
 * A batch of sparse teacher distributions (one {@link SparseDistribution} per example, as the
 * {@code TeacherDistribution} records carry them) stacked into tensors for the sparse losses.
 *
 * <p>Position p of example b holds the teacher's top-k token ids and their log-probabilities at temperature 1,
 * plus the log of the remaining (tail) mass. Rows past an example's last position are padding (ids 0..k-1,
 * uniform log-probs, empty tail) that the losses must not count: {@link #covered} marks the real rows.
 *
 * @param tokenIds (B, T, k) int64 teacher top-k ids
 * @param logProbs (B, T, k) their log-probabilities at temperature 1
 * @param tailLogMass (B, T, 1) log of the teacher mass outside the top-k, -inf when none is left
 * @param covered (B, T) boolean, true where the row comes from a record
 * @param vocabSize the vocabulary the ids index
 */
public record SparseTeacher(NDArray tokenIds, NDArray logProbs, NDArray tailLogMass, NDArray covered,
        int vocabSize) {

    /**
     * Stacks one distribution per example, padded to {@code targetLength} positions.
     *
     * @param distributions one per example, all with the same k, the student's vocabulary and temperature 1
     * @param targetLength T of the batch's (B, T) targets; no distribution may have more positions
     * @param vocabSize the student's vocabulary size V
     * @param type the floating type of the log-probabilities (the student logits' type)
     * @throws BadInputException naming the example and field that does not fit the batch
     */
    public static SparseTeacher of(NDManager manager, List<SparseDistribution> distributions, int targetLength,
            int vocabSize, DataType type) {
        if (distributions.isEmpty()) {
            throw new IllegalArgumentException("a sparse teacher batch needs at least one distribution");
        }
        int batch = distributions.size();
        int k = distributions.get(0).k();
        long[] ids = new long[batch * targetLength * k];
        double[] logProbs = new double[ids.length];
        double[] tail = new double[batch * targetLength];
        boolean[] covered = new boolean[tail.length];
        for (int b = 0; b < batch; b++) {
            SparseDistribution distribution = distributions.get(b);
            check(distribution, b, k, targetLength, vocabSize);
            for (int p = 0; p < targetLength; p++) {
                int row = b * targetLength + p;
                boolean real = p < distribution.positions();
                covered[row] = real;
                tail[row] = real ? distribution.tailLogMass(p) : Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    ids[row * k + j] = real ? distribution.tokenId(p, j) : j;
                    logProbs[row * k + j] = real ? distribution.logProb(p, j) : -Math.log(k);
                }
            }
        }
        Shape rows = new Shape(batch, targetLength);
        return new SparseTeacher(
                manager.create(ids, new Shape(batch, targetLength, k)), // (B, T, k) int64
                manager.create(logProbs, new Shape(batch, targetLength, k)).toType(type, false), // (B, T, k)
                manager.create(tail, new Shape(batch, targetLength, 1)).toType(type, false), // (B, T, 1)
                manager.create(covered, rows), // (B, T) bool
                vocabSize);
    }

    /** The number of teacher tokens per position. */
    public long k() {
        return tokenIds.getShape().get(2);
    }

    /**
     * The rows of this teacher at {@code positions} (indices into its (B, T) grid, the labels' grid), one after
     * another: ids and log-probs (N, k), tail (N, 1), covered (N), for the student's packed logits (N, V).
     *
     * @throws IllegalArgumentException when the student's logits are not (N, V), or a counted position has no
     *     teacher distribution row
     */
    SparseTeacher at(NDArray studentLogits, TargetPositions positions) {
        Shape expected = new Shape(positions.count(), vocabSize);
        if (!studentLogits.getShape().equals(expected)) {
            throw new IllegalArgumentException("packed student logits " + studentLogits.getShape()
                    + " do not match the counted positions and the sparse teacher's vocabulary (N, V) = " + expected);
        }
        boolean[] rows = covered.toBooleanArray(); // B * T
        long length = covered.getShape().get(1);
        for (int n = 0; n < positions.count(); n++) {
            long index = positions.labelIndex(n);
            if (index >= rows.length || !rows[(int) index]) {
                throw uncovered(index, length);
            }
        }
        NDArray at = positions.labelIndices(covered.getManager()); // (N)
        return new SparseTeacher(TargetPositions.select(tokenIds, at), TargetPositions.select(logProbs, at),
                TargetPositions.select(tailLogMass, at), TargetPositions.select(covered, at), vocabSize);
    }

    /**
     * Checks that every counted position has a teacher row and that the student's logits fit.
     *
     * @param studentLogits (B, T, V)
     * @param mask (B, T) boolean
     */
    void requireFits(NDArray studentLogits, NDArray mask) {
        Shape expected = covered.getShape().add(vocabSize);
        if (!studentLogits.getShape().equals(expected)) {
            throw new IllegalArgumentException("student logits " + studentLogits.getShape()
                    + " do not match the sparse teacher's (B, T, V) = " + expected);
        }
        boolean[] uncovered = mask.logicalAnd(covered.logicalNot()).toBooleanArray(); // B * T
        for (int i = 0; i < uncovered.length; i++) {
            if (uncovered[i]) {
                throw uncovered(i, covered.getShape().get(1));
            }
        }
    }

    /** The error for counted label position {@code index} of a (B, {@code length}) grid without a teacher row. */
    private static IllegalArgumentException uncovered(long index, long length) {
        return new IllegalArgumentException("target position " + (index % length) + " of example "
                + (index / length) + " is counted but has no teacher distribution row");
    }

    private static void check(SparseDistribution distribution, int example, int k, int targetLength,
            int vocabSize) {
        String where = "TeacherDistribution of example " + example + " in the batch: ";
        if (distribution.vocabSize() != vocabSize) {
            throw new BadInputException(where + "vocab_size is " + distribution.vocabSize()
                    + ", the student's vocabulary has " + vocabSize + " tokens");
        }
        if (distribution.k() != k) {
            throw new BadInputException(where + "k is " + distribution.k() + ", example 0 has k=" + k
                    + "; one batch needs one k");
        }
        if (distribution.positions() > targetLength) {
            throw new BadInputException(where + "positions is " + distribution.positions()
                    + ", more than the batch's " + targetLength + " target positions");
        }
        if (distribution.temperature() != 1f) {
            throw new BadInputException(where + "temperature is " + distribution.temperature()
                    + "; the sparse losses take the unscaled teacher distribution (temperature 1)");
        }
    }
}
