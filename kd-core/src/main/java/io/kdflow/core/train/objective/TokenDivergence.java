package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.distill.GeneralizedJsd;
import io.kdflow.core.distill.LogitKd;
import io.kdflow.core.distill.SparseTeacher;
import io.kdflow.core.model.TargetPositions;

/**
 * The per-token divergence a KD objective pulls the student with, and its reduction to a scalar; computed from
 * dense teacher logits or from the teacher's sparse records. The implementations are the
 * {@code io.kdflow.core.distill} losses; see them for the exact formulas.
 */
public interface TokenDivergence {

    /** Name recorded with the objective, e.g. {@code logit-kd(tau=1.0)}. */
    String name();

    /**
     * @param studentLogits (B, T, V)
     * @param teacherLogits (B, T, V), no gradient
     * @param mask (B, T) boolean, true at counted positions
     * @return scalar loss
     */
    NDArray dense(NDArray studentLogits, NDArray teacherLogits, NDArray mask);

    /**
     * {@link #dense} from the logits at the counted positions only.
     *
     * @param studentLogits (N, V)
     * @param teacherLogits (N, V), no gradient
     * @param positions the N counted positions of the batch
     * @return scalar loss
     */
    NDArray packed(NDArray studentLogits, NDArray teacherLogits, TargetPositions positions);

    /**
     * @param studentLogits (B, T, V)
     * @param teacher the batch's sparse teacher rows (B, T, k)
     * @param mask (B, T) boolean, true at counted positions
     * @return scalar loss
     */
    NDArray sparse(NDArray studentLogits, SparseTeacher teacher, NDArray mask);

    /**
     * {@link #sparse} from the student's logits at the counted positions only.
     *
     * @param studentLogits (N, V)
     * @param teacher the batch's sparse teacher rows (B, T, k)
     * @param positions the N counted positions of the batch
     * @return scalar loss
     */
    NDArray sparsePacked(NDArray studentLogits, SparseTeacher teacher, TargetPositions positions);

    /**
     * The paper's logit KD: KL(teacher || student) per target token at temperature tau, mean over each
     * example's tokens, then over the batch, times tau^2 ({@link LogitKd}).
     */
    static TokenDivergence logitKd(double temperature) {
        LogitKd loss = new LogitKd(temperature);
        return new TokenDivergence() {
            @Override
            public String name() {
                return "logit-kd(tau=" + temperature + ")";
            }

            @Override
            public NDArray dense(NDArray studentLogits, NDArray teacherLogits, NDArray mask) {
                return loss.dense(studentLogits, teacherLogits, mask);
            }

            @Override
            public NDArray packed(NDArray studentLogits, NDArray teacherLogits, TargetPositions positions) {
                return loss.packed(studentLogits, teacherLogits, positions);
            }

            @Override
            public NDArray sparse(NDArray studentLogits, SparseTeacher teacher, NDArray mask) {
                return loss.sparse(studentLogits, teacher, mask);
            }

            @Override
            public NDArray sparsePacked(NDArray studentLogits, SparseTeacher teacher, TargetPositions positions) {
                return loss.sparsePacked(studentLogits, teacher, positions);
            }
        };
    }

    /**
     * TRL's generalized JSD with weight beta (0 = forward KL, 1 = reverse KL KL(student || teacher)), a mean
     * over all counted tokens of the batch, no tau^2 factor ({@link GeneralizedJsd}).
     */
    static TokenDivergence generalizedJsd(double beta, double temperature) {
        GeneralizedJsd loss = new GeneralizedJsd(beta, temperature);
        String name = beta == 1 ? "reverse-kl(tau=" + temperature + ")"
                : "generalized-jsd(beta=" + beta + ", tau=" + temperature + ")";
        return new TokenDivergence() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NDArray dense(NDArray studentLogits, NDArray teacherLogits, NDArray mask) {
                return loss.dense(studentLogits, teacherLogits, mask);
            }

            @Override
            public NDArray packed(NDArray studentLogits, NDArray teacherLogits, TargetPositions positions) {
                return loss.packed(studentLogits, teacherLogits, positions);
            }

            @Override
            public NDArray sparse(NDArray studentLogits, SparseTeacher teacher, NDArray mask) {
                return loss.sparse(studentLogits, teacher, mask);
            }

            @Override
            public NDArray sparsePacked(NDArray studentLogits, SparseTeacher teacher, TargetPositions positions) {
                return loss.sparsePacked(studentLogits, teacher, positions);
            }
        };
    }

    /** KL(student || teacher) per token with TRL's reduction: {@link #generalizedJsd} at beta 1. */
    static TokenDivergence reverseKl(double temperature) {
        return generalizedJsd(1, temperature);
    }
}
