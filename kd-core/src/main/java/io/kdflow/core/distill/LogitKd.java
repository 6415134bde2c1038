package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.nn.ScalarOperand;

/**
 * The paper's word-level logit KD (docs/method.md, "Logit KD"; {@code kd_utils.kl_with_masks} of
 * its code): per target position the forward KL from teacher to student at temperature tau,
 *
 * <pre>
 *   KL_bt = sum_v p_T(v) (log p_T(v) - log p_S(v)),   p = softmax(logits / tau)
 *   loss  = tau^2 * (1/B) sum_b [ sum_t m_bt KL_bt / max(1, sum_t m_bt) ]
 * </pre>
 *
 * with m the target mask (labels other than -100). Each example is averaged over its own tokens first, then
 * the examples are averaged; this is not a mean over all tokens of the batch. Teacher inputs pass no gradient.
 *
 * <p>{@link #sparse} takes the teacher as its sparse records (top-k ids with log-probs at temperature 1, plus
 * the log of the tail mass) and computes the same KL over k + 1 buckets: the teacher's top-k ids one by one
 * and all other tokens as one tail bucket. The student is coarsened exactly: its log_softmax(logits / tau) at
 * the top-k ids, and the log of its remaining mass (logsumexp of the other logits / tau minus logsumexp of all
 * logits / tau). <b>Temperature on records:</b> the teacher buckets at tau are
 * log_softmax([top-k log-probs, tail log mass] / tau), i.e. the tail is tempered as if it were one token. For
 * the top-k this equals softmax(teacher logits / tau) up to the tail's share (log-probs differ from logits by a
 * constant per row); the tail's true tempered mass, the sum over tail tokens of p^(1/tau), is not in the
 * record, so at tau > 1 the tail's share is underestimated (at tau < 1 overestimated). At tau = 1 the buckets
 * are exact.
 *
 * <p>Coarsening can only lose divergence (the log-sum inequality): at tau = 1 the sparse loss is the dense loss
 * minus, per position, the teacher's tail mass times the KL between teacher and student restricted to the tail,
 * so it is never larger than the dense loss. It equals the dense loss when k = V or when the teacher has no mass
 * outside its top-k (tail -inf), at every temperature.
 *
 * @param temperature tau > 0; the paper uses 1
 */
public record LogitKd(double temperature) {

    public LogitKd {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("logit KD temperature must be finite and > 0, got " + temperature);
        }
    }

    /**
     * From dense teacher logits (teacher in the process).
     *
     * @param studentLogits (B, T, V)
     * @param teacherLogits (B, T, V), detached
     * @param mask (B, T), true (or non-zero) at counted positions
     * @return the scalar loss, in the student logits' type
     */
    public NDArray dense(NDArray studentLogits, NDArray teacherLogits, NDArray mask) {
        Shapes.requireSame(studentLogits, teacherLogits, mask);
        return reduce(perPosition(studentLogits, teacherLogits), mask); // ()
    }

    /**
     * The same loss from the logits at the counted positions only, the batch's rows one after another: the
     * per-example mean becomes a weighted sum with weight 1 / (B n_b) at each of row b's n_b positions.
     *
     * @param studentLogits (N, V)
     * @param teacherLogits (N, V), detached
     * @param positions the N counted positions of the batch's B rows
     * @return the scalar loss, in the student logits' type
     */
    public NDArray packed(NDArray studentLogits, NDArray teacherLogits, TargetPositions positions) {
        Shapes.requirePacked(studentLogits, teacherLogits, positions);
        return scaled(TargetMask.perExampleMean(perPosition(studentLogits, teacherLogits), positions)); // ()
    }

    /** KL(teacher || student) at temperature tau over the last axis: (..., V) -> (...). */
    private NDArray perPosition(NDArray studentLogits, NDArray teacherLogits) {
        NDArray student = Divergences.floored(studentLogits.div(ScalarOperand.like(studentLogits, temperature))
                .logSoftmax(-1)); // (..., V)
        NDArray teacherScaled = teacherLogits.stopGradient()
                .div(ScalarOperand.like(teacherLogits, temperature)); // (..., V)
        NDArray teacher = Divergences.floored(teacherScaled.logSoftmax(-1)); // (..., V)
        return Divergences.kl(teacher, student); // (...)
    }

    /**
     * From the teacher's sparse records (top-k at temperature 1 + tail bucket).
     *
     * @param studentLogits (B, T, V)
     * @param teacher the batch's sparse teacher rows, (B, T, k)
     * @param mask (B, T), true (or non-zero) at counted positions; each must have a teacher row
     * @return the scalar loss, in the student logits' type
     */
    public NDArray sparse(NDArray studentLogits, SparseTeacher teacher, NDArray mask) {
        NDArray counted = TargetMask.asBoolean(mask); // (B, T)
        teacher.requireFits(studentLogits, counted);
        NDArray student = Buckets.student(studentLogits, teacher, temperature); // (B, T, k + 1)
        NDArray teacherBuckets = Buckets.teacher(teacher, temperature); // (B, T, k + 1)
        return reduce(Divergences.kl(teacherBuckets, student), counted); // ()
    }

    /**
     * {@link #sparse} from the student's logits at the counted positions only (the batch's rows one after another).
     *
     * @param studentLogits (N, V)
     * @param teacher the batch's sparse teacher rows, (B, T, k) on the labels' grid
     * @param positions the N counted positions; each must have a teacher row
     * @return the scalar loss, in the student logits' type
     */
    public NDArray sparsePacked(NDArray studentLogits, SparseTeacher teacher, TargetPositions positions) {
        SparseTeacher rows = teacher.at(studentLogits, positions); // (N, k)
        NDArray perPosition = Divergences.kl(Buckets.teacher(rows, temperature),
                Buckets.student(studentLogits, rows, temperature)); // (N)
        return scaled(TargetMask.perExampleMean(perPosition, positions)); // ()
    }

    private NDArray reduce(NDArray perToken, NDArray mask) {
        return scaled(TargetMask.perExampleMean(perToken, TargetMask.asBoolean(mask))); // ()
    }

    /** The mean times tau^2. */
    private NDArray scaled(NDArray mean) {
        return mean.mul(ScalarOperand.like(mean, temperature * temperature)); // ()
    }
}
