package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.nn.ScalarOperand;

/**
 * The (B, T) mask of the target positions a loss counts, and the two reductions over it; each also over the
 * values at the counted positions only ({@link TargetPositions}).
 */
public final class TargetMask {

    private TargetMask() {}

    /**
     * True where the label is not {@link Labels#IGNORE_INDEX} (-100).
     *
     * @param labels (B, T) int64
     * @return (B, T) boolean
     */
    public static NDArray fromLabels(NDArray labels) {
        return labels.neq(Labels.IGNORE_INDEX); // (B, T) bool
    }

    /** A boolean view of a mask given as booleans or as 0/1 numbers. */
    static NDArray asBoolean(NDArray mask) {
        return mask.getDataType() == DataType.BOOLEAN ? mask : mask.neq(0); // (B, T) bool
    }

    /**
     * The paper's reduction: sum over each example's counted positions, divided by that example's count (at
     * least 1), then the mean over the batch. Values at uncounted positions (even NaN or infinite) are dropped
     * and get no gradient.
     *
     * @param perToken (B, T)
     * @param mask (B, T) boolean
     * @return a scalar of perToken's type
     */
    static NDArray perExampleMean(NDArray perToken, NDArray mask) {
        NDArray kept = mask.toType(perToken.getDataType(), false); // (B, T) 0/1
        NDArray sums = masked(perToken, mask).sum(new int[] {1}); // (B)
        NDArray counts = kept.sum(new int[] {1}).maximum(ScalarOperand.like(kept, 1)); // (B), at least 1
        return sums.div(counts).mean(); // ()
    }

    /**
     * TRL's {@code batchmean} with labels: sum over all counted positions of the batch divided by their number
     * (at least 1, where TRL would give 0/0 = NaN for a batch without counted positions).
     *
     * @param perToken (B, T)
     * @param mask (B, T) boolean
     * @return a scalar of perToken's type
     */
    static NDArray tokenMean(NDArray perToken, NDArray mask) {
        NDArray kept = mask.toType(perToken.getDataType(), false); // (B, T) 0/1
        NDArray count = kept.sum().maximum(ScalarOperand.like(kept, 1)); // ()
        return masked(perToken, mask).sum().div(count); // ()
    }

    /**
     * {@link #perExampleMean} of per-position values at the counted positions only: the sum weighted by
     * 1 / (B n_b) at each of row b's n_b positions (0 when nothing is counted).
     *
     * @param perPosition (N)
     * @return a scalar of perPosition's type
     */
    static NDArray perExampleMean(NDArray perPosition, TargetPositions positions) {
        NDArray weights = positions.perExampleWeights(perPosition.getManager(), perPosition.getDataType()); // (N)
        return perPosition.mul(weights).sum(); // ()
    }

    /**
     * {@link #tokenMean} of per-position values at the counted positions only: their sum over max(1, N).
     *
     * @param perPosition (N)
     * @return a scalar of perPosition's type
     */
    static NDArray tokenMean(NDArray perPosition, TargetPositions positions) {
        return perPosition.sum().div(ScalarOperand.like(perPosition, Math.max(1, positions.count()))); // ()
    }

    private static NDArray masked(NDArray perToken, NDArray mask) {
        return NDArrays.where(mask, perToken, perToken.zerosLike()); // (B, T), 0 where not counted
    }
}
