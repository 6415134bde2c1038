package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import io.kdflow.core.model.nn.ScalarOperand;

/**
 * Teacher and student distributions coarsened to the k + 1 buckets of a sparse teacher row: the teacher's
 * top-k token ids one by one, then everything else as one tail bucket. Both come out as (B, T, k + 1) floored
 * log-probabilities (see {@link Divergences}), top-k first and the tail last; packed rows (N, ...) give (N, k + 1).
 */
final class Buckets {

    private Buckets() {}

    /**
     * The teacher at temperature tau: log_softmax over [top-k log-probs, tail log mass] / tau.
     *
     * <p>For the top-k this is exact: log p(v) differs from the teacher's logit z(v) by one constant per row,
     * so exp(log p(v) / tau) is proportional to exp(z(v) / tau). The tail is treated as one token of log-prob
     * tail_log_mass, i.e. its tempered mass is (sum of the tail's p)^(1/tau) instead of the sum of the tail's
     * p^(1/tau), which is unknown from the record: exact at tau = 1 and whenever the tail is empty (k = V, or
     * a teacher without mass outside its top-k); for tau > 1 it underestimates the tail's share.
     *
     * @return (B, T, k + 1)
     */
    static NDArray teacher(SparseTeacher sparse, double temperature) {
        int last = sparse.logProbs().getShape().dimension() - 1;
        NDArray buckets = sparse.logProbs().concat(sparse.tailLogMass(), last); // (..., k + 1)
        NDArray scaled = buckets.div(ScalarOperand.like(buckets, temperature)); // (B, T, k + 1)
        return Divergences.floored(scaled.logSoftmax(-1)); // (B, T, k + 1)
    }

    /**
     * The student at temperature tau, exact: its log_softmax(logits / tau) at the teacher's top-k ids, and as
     * the tail the log of its remaining mass, logsumexp over the other tokens of log_softmax(logits / tau)
     * (i.e. logsumexp of the non-top-k logits / tau minus logsumexp of all logits / tau; no 1 - sum
     * cancellation). With k = V the tail is -inf, floored, and passes no gradient.
     *
     * @param studentLogits (B, T, V)
     * @return (B, T, k + 1)
     */
    static NDArray student(NDArray studentLogits, SparseTeacher sparse, double temperature) {
        int last = studentLogits.getShape().dimension() - 1; // (B, T, V) or packed (N, V)
        NDArray scaled = studentLogits.div(ScalarOperand.like(studentLogits, temperature)); // (B, T, V)
        NDArray logProbs = scaled.logSoftmax(-1); // (B, T, V)
        NDArray top = logProbs.gather(sparse.tokenIds(), last); // (B, T, k)
        NDArray ones = sparse.tokenIds().onesLike().toType(DataType.BOOLEAN, false); // (B, T, k)
        NDArray inTopK = logProbs.getManager().zeros(logProbs.getShape(), DataType.BOOLEAN)
                .scatter(sparse.tokenIds(), ones, last); // (B, T, V) true at the teacher's ids
        NDArray minusInfinity = ScalarOperand.like(logProbs, Double.NEGATIVE_INFINITY)
                .broadcast(logProbs.getShape()); // (B, T, V)
        NDArray others = NDArrays.where(inTopK, minusInfinity, logProbs); // (B, T, V)
        NDArray shift = others.max(new int[] {last}, true).stopGradient(); // (B, T, 1), -inf when k = V
        shift = NDArrays.where(shift.isInfinite(), shift.zerosLike(), shift); // (B, T, 1) finite
        NDArray tail = others.sub(shift).exp().sum(new int[] {last}, true).log().add(shift); // (B, T, 1)
        return Divergences.floored(top.concat(tail, last)); // (B, T, k + 1)
    }
}
