package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.nn.ScalarOperand;

/**
 * TRL's generalized Jensen-Shannon divergence ({@code GKDTrainer.generalized_jsd_loss}, reduction
 * {@code batchmean} with labels), for users arriving from TRL. With S = softmax(student / tau) and
 * T = softmax(teacher / tau) per target position:
 *
 * <pre>
 *   beta = 0:  D = KL(T || S)                                   (forward KL, the paper's direction)
 *   beta = 1:  D = KL(S || T)                                   (reverse KL)
 *   else:      M = beta T + (1 - beta) S,  D = beta KL(T || M) + (1 - beta) KL(S || M)
 *   loss = sum_bt m_bt D_bt / max(1, sum_bt m_bt)
 * </pre>
 *
 * The reduction is a mean over all counted tokens of the batch (not per example) and there is no tau^2 factor,
 * both as in TRL; so at beta 0 this differs from {@link LogitKd} unless every example has the same number of
 * tokens and tau = 1. Note TRL's weighting: beta near 0 is near 0 (M is near S), not near the forward KL, which
 * only beta = 0 exactly gives. Where TRL divides 0 by 0 (no counted token) this gives 0.
 *
 * <p>{@link #sparse} computes the same D over the k + 1 buckets of a sparse teacher row, as {@link LogitKd}
 * defines them and their temperature: the teacher's top-k tokens one by one and the rest as one tail bucket,
 * for teacher, student and mixture alike.
 * This is an approximation: every term is an f-divergence, which coarsening can only decrease, so the sparse
 * value is at most the dense one at tau = 1 (the lost part is the divergence inside the tail, weighted by the
 * tail's mass); at tau != 1 the teacher's tail bucket is itself approximate (see {@link LogitKd}). It is
 * exact when k = V or when the teacher and student put no mass on the tail (for reverse KL the student's tail
 * mass matters: a student spreading mass outside the teacher's top-k is charged only for the tail total).
 *
 * @param beta in [0, 1]
 * @param temperature tau > 0
 */
public record GeneralizedJsd(double beta, double temperature) {

    public GeneralizedJsd {
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException("generalized JSD beta must be in [0, 1], got " + beta);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("generalized JSD temperature must be finite and > 0, got "
                    + temperature);
        }
    }

    /** KL(teacher || student) with TRL's token-mean reduction (beta 0). */
    public static GeneralizedJsd forwardKl(double temperature) {
        return new GeneralizedJsd(0, temperature);
    }

    /** KL(student || teacher) with TRL's token-mean reduction (beta 1). */
    public static GeneralizedJsd reverseKl(double temperature) {
        return new GeneralizedJsd(1, temperature);
    }

    /**
     * From dense teacher logits.
     *
     * @param studentLogits (B, T, V)
     * @param teacherLogits (B, T, V), detached
     * @param mask (B, T), true (or non-zero) at counted positions
     * @return the scalar loss, in the student logits' type
     */
    public NDArray dense(NDArray studentLogits, NDArray teacherLogits, NDArray mask) {
        Shapes.requireSame(studentLogits, teacherLogits, mask);
        NDArray perToken = perPosition(studentLogits, teacherLogits); // (B, T)
        return TargetMask.tokenMean(perToken, TargetMask.asBoolean(mask)); // ()
    }

    /**
     * The same loss from the logits at the counted positions only (the batch's rows one after another): the mean
     * over those N positions.
     *
     * @param studentLogits (N, V)
     * @param teacherLogits (N, V), detached
     * @param positions the N counted positions
     * @return the scalar loss, in the student logits' type
     */
    public NDArray packed(NDArray studentLogits, NDArray teacherLogits, TargetPositions positions) {
        Shapes.requirePacked(studentLogits, teacherLogits, positions);
        return TargetMask.tokenMean(perPosition(studentLogits, teacherLogits), positions); // ()
    }

    /** The divergence at temperature tau over the last axis: (..., V) -> (...). */
    private NDArray perPosition(NDArray studentLogits, NDArray teacherLogits) {
        NDArray student = Divergences.floored(studentLogits.div(ScalarOperand.like(studentLogits, temperature))
                .logSoftmax(-1)); // (..., V)
        NDArray teacherScaled = teacherLogits.stopGradient()
                .div(ScalarOperand.like(teacherLogits, temperature)); // (..., V)
        NDArray teacher = Divergences.floored(teacherScaled.logSoftmax(-1)); // (..., V)
        return Divergences.generalizedJsd(student, teacher, beta); // (...)
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
        return TargetMask.tokenMean(Divergences.generalizedJsd(student, teacherBuckets, beta), counted); // ()
    }

    /**
     * {@link #sparse} from the student's logits at the counted positions only: the mean over those N positions.
     *
     * @param studentLogits (N, V)
     * @param teacher the batch's sparse teacher rows, (B, T, k) on the labels' grid
     * @param positions the N counted positions; each must have a teacher row
     * @return the scalar loss, in the student logits' type
     */
    public NDArray sparsePacked(NDArray studentLogits, SparseTeacher teacher, TargetPositions positions) {
        SparseTeacher rows = teacher.at(studentLogits, positions); // (N, k)
        NDArray student = Buckets.student(studentLogits, rows, temperature); // (N, k + 1)
        NDArray perToken = Divergences.generalizedJsd(student, Buckets.teacher(rows, temperature), beta); // (N)
        return TargetMask.tokenMean(perToken, positions); // ()
    }
}
