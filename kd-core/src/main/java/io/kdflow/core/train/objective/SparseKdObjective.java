package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.distill.SparseTeacher;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.train.TrainingObjective;
import io.kdflow.core.wire.SparseDistribution;
import java.util.ArrayList;
import java.util.List;

/**
 * KD from the teacher distributions the records carry (the streaming trainer: no teacher in the process): the
 * same loss as {@link DenseKdObjective} with the teacher's next-token distribution read from each example's
 * sparse {@code TeacherDistribution} (top-k at temperature 1 plus a tail bucket) instead of a teacher forward
 * pass. At k = vocabulary it equals the dense loss; below, the divergence inside the tail is lost (see
 * {@link io.kdflow.core.distill.LogitKd} and {@link io.kdflow.core.distill.GeneralizedJsd} for the
 * approximation and the temperature on records).
 *
 * <p>Row p of an example's distribution belongs to label p of the batch, so batches must be built from the
 * records' token ids ({@link io.kdflow.core.train.ExampleEncoder} does). For a decoder-only student the records
 * are a decoder-only teacher's: {@code source_token_ids} the prompt, {@code token_ids} and the distribution rows
 * the continuation only, so row p is read against the logits that predict target token p.
 */
public final class SparseKdObjective implements TrainingObjective {

    private final PretrainedModel student;
    private final TokenDivergence divergence;

    public SparseKdObjective(PretrainedModel student, TokenDivergence divergence) {
        this.student = student;
        this.divergence = divergence;
    }

    @Override
    public String name() {
        return "sparse-" + divergence.name();
    }

    /**
     * @throws BadInputException when an example carries no teacher distribution, or one that does not fit the
     *     batch (vocabulary, k, positions, temperature)
     */
    @Override
    public NDArray loss(NDManager manager, TrainingBatch batch, long step) {
        List<SparseDistribution> distributions = new ArrayList<>(batch.examples().size());
        for (TrainingExample example : batch.examples()) {
            distributions.add(example.distribution().orElseThrow(() -> new BadInputException("example "
                    + example.exampleId() + " (" + example.kind() + ", PT " + example.ptIndex()
                    + "): the record carries no teacher distribution; KD from records needs one on every target")));
        }
        return lossOn(manager, batch.pairs(), distributions);
    }

    /**
     * The loss on {@code pairs}' targets with {@code distributions} (one per row, row p of a distribution for label
     * p): the records' own, or a remote teacher's on Joint-Teaching's student samples.
     *
     * @throws BadInputException when a distribution does not fit the batch (vocabulary, k, positions, temperature)
     */
    public NDArray lossOn(NDManager manager, PairBatch pairs, List<SparseDistribution> distributions) {
        TargetLogits inputs = TargetLogits.of(manager, pairs, student);
        NDArray studentLogits = inputs.logitsAt(student, RunMode.TRAINING); // (N, V)
        SparseTeacher teacher = SparseTeacher.of(manager, distributions, pairs.labels()[0].length,
                student.config().vocabSize(), studentLogits.getDataType()); // (B, T, k)
        try (Autograd.Scope grad = Autograd.enabled()) {
            return divergence.sparsePacked(studentLogits, teacher, inputs.positions()); // ()
        }
    }
}
