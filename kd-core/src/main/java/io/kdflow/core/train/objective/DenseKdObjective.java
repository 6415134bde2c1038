package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingObjective;

/**
 * KD with the teacher in the process (docs/method.md, "Logit KD", "Noisy KD"): on the batch's targets (gold
 * or pseudo-targets: with PT examples this is the paper's "logit KD + PTs"), the teacher runs teacher-forced
 * without gradients and the student in training mode, and the loss is the divergence between their next-token
 * distributions at every target position:
 *
 * <pre>
 *   logit KD:  L = tau^2 * mean_b [ (1/|y_b|) sum_t KL(P_T(. | x_b, y_b,&lt;t) || P_S(. | x_b, y_b,&lt;t)) ]
 * </pre>
 *
 * with P = softmax(logits / tau); no gold cross-entropy term. Both models' LM heads and the divergence run at the
 * counted positions only ({@link TargetPositions}): padding never reaches the (V)-wide part of the step.
 * {@link TeacherPass#eval} gives the paper's logit KD, {@link TeacherPass#noisy} noisy KD (the same loss, teacher
 * dropout active); the divergence may also be TRL's reverse KL or generalized JSD ({@link TokenDivergence}).
 * Teacher and student share one tokenizer
 * (the losses check that the logits' shapes agree) and one kind of architecture: both encoder-decoder, or both
 * decoder-only (prompt + target as one input; only the target positions reach the loss, see
 * {@link io.kdflow.core.train.DecoderOnlyBatch}).
 */
public final class DenseKdObjective implements TrainingObjective {

    private final PretrainedModel student;
    private final TeacherPass teacher;
    private final TokenDivergence divergence;

    public DenseKdObjective(PretrainedModel student, TeacherPass teacher, TokenDivergence divergence) {
        this.student = student;
        this.teacher = teacher;
        this.divergence = divergence;
    }

    @Override
    public String name() {
        return (teacher.noisy() ? "noisy-" : "") + divergence.name();
    }

    @Override
    public NDArray loss(NDManager manager, TrainingBatch batch, long step) {
        return lossOn(manager, batch.pairs());
    }

    /** The loss on {@code pairs}' targets, whatever the batch's examples say (Joint-Teaching's targets). */
    public NDArray lossOn(NDManager manager, PairBatch pairs) {
        TargetLogits inputs = TargetLogits.of(manager, pairs, student);
        NDArray teacherLogits = teacher.logitsAt(inputs); // (N, V), detached
        NDArray studentLogits = inputs.logitsAt(student, RunMode.TRAINING); // (N, V)
        try (Autograd.Scope grad = Autograd.enabled()) {
            return divergence.packed(studentLogits, teacherLogits, inputs.positions()); // ()
        }
    }

    public TeacherPass teacher() {
        return teacher;
    }
}
