package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.train.DecoderOnlyBatch;
import io.kdflow.core.train.PairBatch;

/**
 * A batch's teacher-forced inputs for the KD losses, whatever the architecture, and the target positions the
 * losses count ({@link #positions}: labels other than -100, located in the model's output grid). {@link #logitsAt}
 * gives a model's (N, V) logits at those positions only. Encoder-decoder models run {@link TeacherForcing} (decoder
 * fed the labels shifted right); decoder-only models run the {@link DecoderOnlyBatch} of prompt + target, whose
 * target columns predict the labels, so prompt and padding never reach a loss.
 */
final class TargetLogits {

    private final NDManager manager;
    private final TargetPositions positions;
    private final TeacherForcing encoderDecoder;
    private final NDArray decoderOnlyIds;
    private final NDArray decoderOnlyMask;

    private TargetLogits(NDManager manager, TargetPositions positions, TeacherForcing encoderDecoder,
            NDArray decoderOnlyIds, NDArray decoderOnlyMask) {
        this.manager = manager;
        this.positions = positions;
        this.encoderDecoder = encoderDecoder;
        this.decoderOnlyIds = decoderOnlyIds;
        this.decoderOnlyMask = decoderOnlyMask;
    }

    /** The inputs of {@code pairs} laid out for {@code student}'s architecture (teacher and student share it). */
    static TargetLogits of(NDManager manager, PairBatch pairs, PretrainedModel student) {
        if (student instanceof Seq2SeqModel seq2seq) {
            TeacherForcing forcing = TeacherForcing.of(manager, pairs, seq2seq);
            return new TargetLogits(manager, TargetPositions.of(forcing.labels()), forcing, null, null);
        }
        DecoderOnlyBatch batch = DecoderOnlyBatch.of(pairs, student.config());
        NDArray ids = manager.create(batch.inputIds()); // (B, P + T)
        TargetPositions positions = TargetPositions.of(manager.create(pairs.labels()), ids.getShape().get(1),
                batch.targetColumns()[0]);
        return new TargetLogits(manager, positions, null, ids, manager.create(batch.attentionMask()));
    }

    /** The positions the losses count (labels other than -100), located in the model's output grid. */
    TargetPositions positions() {
        return positions;
    }

    /**
     * Logits (N, V) of {@code model} at the counted {@link #positions()} only: the LM head never sees padding or a
     * decoder-only model's prompt.
     */
    NDArray logitsAt(PretrainedModel model, RunMode mode) {
        NDArray at = positions.indices(manager); // (N)
        if (encoderDecoder != null && model instanceof Seq2SeqModel seq2seq) {
            return seq2seq.logitsAt(encoderDecoder.inputIds(), encoderDecoder.attentionMask(),
                    encoderDecoder.decoderInputIds(), at, mode);
        }
        if (decoderOnlyIds != null && model instanceof CausalLm causal) {
            return causal.logitsAt(decoderOnlyIds, decoderOnlyMask, at, mode);
        }
        throw new IllegalStateException("the batch is laid out for " + (encoderDecoder != null ? "an encoder-decoder"
                : "a decoder-only") + " model, not for " + model.config().modelType());
    }
}
