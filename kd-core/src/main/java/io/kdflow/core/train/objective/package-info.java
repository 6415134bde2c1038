/**
 * The training objectives of the study (docs/method.md, "Objectives"), each a small
 * {@link io.kdflow.core.train.TrainingObjective}: logit KD and TRL's generalized JSD with the teacher in the
 * process ({@link io.kdflow.core.train.objective.DenseKdObjective}, eval or noisy teacher) or from the
 * records' sparse distributions ({@link io.kdflow.core.train.objective.SparseKdObjective}),
 * Joint-Teaching ({@link io.kdflow.core.train.objective.JointTeachingObjective}: the teacher in the process, or
 * remote, scoring the student's samples through a {@link io.kdflow.core.train.objective.StudentSampleScorer}),
 * and attention-relation KD
 * ({@link io.kdflow.core.train.objective.AttentionRelationObjective}: the last layers' query, key and value
 * relations with the logit KD, teacher in the process). Cross-entropy is
 * {@link io.kdflow.core.train.CrossEntropyObjective}; {@link io.kdflow.core.train.Objectives} builds any of
 * them from an {@link io.kdflow.core.train.ObjectiveSpec}.
 */
package io.kdflow.core.train.objective;
