package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.nn.ScalarOperand;
import io.kdflow.core.wire.SparseDistribution;

/**
 * Divergences between distributions given as log-probabilities over the last axis (the vocabulary, or the
 * k + 1 buckets of a sparse teacher), one value per position.
 *
 * <p>Every log-probability is floored at {@link #LOG_PROB_FLOOR} first: exp(-1e4) is 0 in every float format,
 * so a zero-probability entry contributes 0 * (finite) = 0 (the 0 log 0 = 0 convention of PyTorch's
 * {@code kl_div}) and -inf never reaches a product or a gradient. Entries above the floor are unchanged.
 */
final class Divergences {

    /** The floor of {@link SparseDistribution#LOG_PROB_FLOOR}, the same value the wire uses. */
    static final float LOG_PROB_FLOOR = SparseDistribution.LOG_PROB_FLOOR;

    private Divergences() {}

    /** Log-probabilities raised to at least {@link #LOG_PROB_FLOOR} (no gradient below it). */
    static NDArray floored(NDArray logProbs) {
        return logProbs.maximum(ScalarOperand.like(logProbs, LOG_PROB_FLOOR)); // same shape
    }

    /**
     * KL(P || Q) = sum_v p(v) (log p(v) - log q(v)) over the last axis.
     *
     * @param logP (..., N) floored log-probabilities of P
     * @param logQ (..., N) floored log-probabilities of Q
     * @return (...)
     */
    static NDArray kl(NDArray logP, NDArray logQ) {
        return logP.exp().mul(logP.sub(logQ)).sum(new int[] {-1}); // (...)
    }

    /**
     * TRL's {@code GKDTrainer.generalized_jsd_loss} per position, before its reduction: beta 0 gives
     * KL(T || S), beta 1 gives KL(S || T), otherwise with the mixture M = beta T + (1 - beta) S (in log space
     * log M = logaddexp(log S + log(1 - beta), log T + log beta)) it gives
     * beta KL(T || M) + (1 - beta) KL(S || M).
     *
     * @param student (..., N) floored student log-probabilities
     * @param teacher (..., N) floored teacher log-probabilities
     * @return (...)
     */
    static NDArray generalizedJsd(NDArray student, NDArray teacher, double beta) {
        if (beta == 0) {
            return kl(teacher, student); // (...)
        }
        if (beta == 1) {
            return kl(student, teacher); // (...)
        }
        NDArray mixture = logAddExp(student.add(ScalarOperand.like(student, Math.log(1 - beta))),
                teacher.add(ScalarOperand.like(teacher, Math.log(beta)))); // (..., N)
        NDArray towardsTeacher = kl(teacher, mixture); // (...)
        NDArray towardsStudent = kl(student, mixture); // (...)
        return towardsTeacher.mul(ScalarOperand.like(towardsTeacher, beta))
                .add(towardsStudent.mul(ScalarOperand.like(towardsStudent, 1 - beta))); // (...)
    }

    /** log(exp(a) + exp(b)) elementwise, shifted by the (constant) larger operand; both finite. */
    private static NDArray logAddExp(NDArray a, NDArray b) {
        NDArray shift = a.maximum(b).stopGradient(); // (..., N)
        return a.sub(shift).exp().add(b.sub(shift).exp()).log().add(shift); // (..., N)
    }
}
