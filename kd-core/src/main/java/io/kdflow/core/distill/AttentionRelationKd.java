package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.nn.ScalarOperand;

/**
 * One relation of MiniLMv2-style attention-relation KD (docs/method.md, "Attention-relation KD"):
 * the KL between the teacher's and the student's self-relation of one projection (queries, keys or values of
 * one attention block of the last layer). The paper's objective combines nine of these (Q, K, V of encoder
 * self-attention, decoder self-attention with {@code causal}, and decoder cross-attention: Q over the target,
 * K and V over the source) with the logit KD and loss scales
 * ({@link io.kdflow.core.train.objective.AttentionRelationObjective}); this class is one of the nine.
 *
 * <p>Both projections come with their heads concatenated, (B, L, D). Each is re-split into A relation heads
 * (the paper: A = the teacher's head count; any A that divides both widths works), so a relation head has d_rel = D / A dimensions (the student's D_S / A and the
 * teacher's D_T / A may differ). Per relation head a and row i:
 *
 * <pre>
 *   R(a)_ij = softmax_j( X(a)_i . X(a)_j / sqrt(d_rel) )    over keys j allowed for row i
 *   KL_bai  = sum_j R_T(a)_ij (log R_T(a)_ij - log R_S(a)_ij)
 *   loss    = (1 / (B A)) sum_b sum_a [ sum_i m_bi KL_bai / max(1, sum_i m_bi) ]
 * </pre>
 *
 * Key j is allowed for row i when m_bj is true and, if {@code causal}, j <= i; other keys get the score -10000
 * (as the reference code), which leaves them probability 0 in float32 and float64. Rows with m_bi false are not
 * counted. Teacher inputs pass no gradient. Inputs are taken as the model hands them over (BART's queries come
 * already scaled by 1/sqrt(head_dim), as in the reference).
 *
 * @param relationHeads A, the paper's is the teacher's attention head count; must divide both widths
 */
public record AttentionRelationKd(int relationHeads) {

    /** The score of a key a row may not attend to (the reference's additive mask value). */
    static final float MASKED_SCORE = -10_000f;

    public AttentionRelationKd {
        if (relationHeads < 1) {
            throw new IllegalArgumentException("relation heads must be >= 1, got " + relationHeads);
        }
    }

    /**
     * @param student (B, L, D_S) the student's projection, heads concatenated
     * @param teacher (B, L, D_T) the teacher's projection of the same positions
     * @param mask (B, L), true (or non-zero) at real positions
     * @param causal whether row i may only relate to positions j <= i (decoder self-attention)
     * @return the scalar loss, in the student's type
     */
    public NDArray loss(NDArray student, NDArray teacher, NDArray mask, boolean causal) {
        Shape shape = student.getShape();
        if (shape.dimension() != 3 || teacher.getShape().dimension() != 3
                || shape.get(0) != teacher.getShape().get(0) || shape.get(1) != teacher.getShape().get(1)) {
            throw new IllegalArgumentException("student and teacher projections must be (B, L, D) over the same "
                    + "positions, got " + shape + " and " + teacher.getShape());
        }
        if (!mask.getShape().equals(shape.slice(0, 2))) {
            throw new IllegalArgumentException("mask must be (B, L) = " + shape.slice(0, 2) + ", got "
                    + mask.getShape());
        }
        NDArray rows = TargetMask.asBoolean(mask); // (B, L)
        NDArray allowed = allowedKeys(rows, causal); // (B, 1, L, L)
        NDArray studentRelations = relationLogProbs(student, allowed); // (B, A, L, L)
        NDArray teacherRelations = relationLogProbs(teacher.stopGradient(), allowed); // (B, A, L, L)
        NDArray perRow = Divergences.kl(teacherRelations, studentRelations); // (B, A, L)
        NDArray counted = rows.expandDims(1).broadcast(perRow.getShape()); // (B, A, L)
        NDArray kept = NDArrays.where(counted, perRow, perRow.zerosLike()); // (B, A, L)
        NDArray real = rows.toType(perRow.getDataType(), false); // (B, L) 0/1
        NDArray counts = real.sum(new int[] {1}, true).maximum(ScalarOperand.like(real, 1)); // (B, 1)
        return kept.sum(new int[] {2}).div(counts).mean(); // ()
    }

    /**
     * Floored log row-softmax of the scaled self-relation per relation head.
     *
     * @param projection (B, L, D)
     * @param allowed (B, 1, L, L) boolean
     * @return (B, A, L, L)
     */
    private NDArray relationLogProbs(NDArray projection, NDArray allowed) {
        Shape shape = projection.getShape();
        long width = shape.get(2);
        if (width % relationHeads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible by " + relationHeads
                    + " relation heads");
        }
        long headWidth = width / relationHeads;
        NDArray heads = projection.reshape(shape.get(0), shape.get(1), relationHeads, headWidth)
                .transpose(0, 2, 1, 3); // (B, A, L, d_rel)
        NDArray products = heads.matMul(heads.transpose(0, 1, 3, 2)); // (B, A, L, L)
        NDArray scores = products.div(ScalarOperand.like(products, Math.sqrt(headWidth))); // (B, A, L, L)
        NDArray maskedScore = ScalarOperand.like(scores, MASKED_SCORE).broadcast(scores.getShape()); // (B, A, L, L)
        NDArray blocked = allowed.logicalNot().broadcast(scores.getShape()); // (B, A, L, L)
        return Divergences.floored(NDArrays.where(blocked, maskedScore, scores).logSoftmax(-1)); // (B, A, L, L)
    }

    /**
     * @param rows (B, L) boolean
     * @return (B, 1, L, L) boolean, [b, 0, i, j] true when key j is real and (if causal) j <= i
     */
    private static NDArray allowedKeys(NDArray rows, boolean causal) {
        long length = rows.getShape().get(1);
        NDArray keys = rows.expandDims(1).expandDims(1) // (B, 1, 1, L)
                .broadcast(rows.getShape().get(0), 1, length, length); // (B, 1, L, L)
        if (!causal) {
            return keys;
        }
        NDManager manager = rows.getManager();
        NDArray position = manager.arange((int) length).toType(DataType.INT64, false); // (L)
        NDArray past = position.expandDims(0).lte(position.expandDims(1)); // (L, L): [i, j] = j <= i
        return keys.logicalAnd(past.broadcast(keys.getShape())); // (B, 1, L, L)
    }
}
