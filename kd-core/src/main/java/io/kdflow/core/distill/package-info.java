/**
 * Distillation losses as plain functions on DJL NDArrays (libtorch autograd records them like any other
 * operation): the paper's word-level logit KD ({@link LogitKd}, KL(teacher || student) with the per-example
 * mean and the tau^2 factor) and TRL's generalized Jensen-Shannon divergence ({@link GeneralizedJsd}, beta 0 =
 * forward KL, 1 = reverse KL, token mean without tau^2), each from dense teacher logits or from the sparse
 * teacher distributions of the wire ({@link SparseTeacher}: top-k plus one tail bucket); and one relation of
 * MiniLMv2-style attention-relation KD on given query, key or value projections ({@link AttentionRelationKd}).
 *
 * <p>Shapes: student and teacher logits (B, T, V); the target mask (B, T), true where a position counts
 * ({@link TargetMask#fromLabels}: labels other than -100). The losses know nothing of models, batches or
 * optimizers; the training objectives call them.
 */
package io.kdflow.core.distill;
