package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.train.DecoderOnlyBatch;
import io.kdflow.core.train.PairBatch;

/**
 * A batch's teacher-forced inputs for the KD losses, whatever the architecture: {@link #logits} gives (B, T, V)
 * logits where column t predicts label t of the {@link PairBatch} (B, T), and {@link #mask} the target positions
 * the losses count. Encoder-decoder models run {@link TeacherForcing} (decoder fed the labels shifted right);
 * decoder-only models run the {@link DecoderOnlyBatch} of prompt + target and keep only the columns that predict
 * target tokens, so prompt and padding never reach a loss.
 */
final class TargetLogits {

    private final NDArray labels;
    private final TeacherForcing encoderDecoder;
    private final DecoderOnlyBatch decoderOnly;
    private final NDArray decoderOnlyIds;
    private final NDArray decoderOnlyMask;
    private TargetPositions positions; // computed on first use

    private TargetLogits(NDArray labels, TeacherForcing encoderDecoder, DecoderOnlyBatch decoderOnly,
            NDArray decoderOnlyIds, NDArray decoderOnlyMask) {
        this.labels = labels;
        this.encoderDecoder = encoderDecoder;
        this.decoderOnly = decoderOnly;
        this.decoderOnlyIds = decoderOnlyIds;
        this.decoderOnlyMask = decoderOnlyMask;
    }

    /** The inputs of {@code pairs} laid out for {@code student}'s architecture (teacher and student share it). */
    static TargetLogits of(NDManager manager, PairBatch pairs, PretrainedModel student) {
        if (student instanceof Seq2SeqModel seq2seq) {
            TeacherForcing forcing = TeacherForcing.of(manager, pairs, seq2seq);
            return new TargetLogits(forcing.labels(), forcing, null, null, null);
        }
        DecoderOnlyBatch batch = DecoderOnlyBatch.of(pairs, student.config());
        return new TargetLogits(manager.create(pairs.labels()), null, batch, manager.create(batch.inputIds()),
                manager.create(batch.attentionMask()));
    }

    /** Logits (B, T, V) of {@code model} at the target positions, aligned with the labels. */
    NDArray logits(PretrainedModel model, RunMode mode) {
        if (encoderDecoder != null && model instanceof Seq2SeqModel seq2seq) {
            return encoderDecoder.logits(seq2seq, mode);
        }
        if (decoderOnly != null && model instanceof CausalLm causal) {
            int[] columns = decoderOnly.targetColumns();
            NDArray logits = causal.logits(decoderOnlyIds, decoderOnlyMask, mode); // (B, P + T, V)
            try (Autograd.Scope grad = mode.gradScope()) { // the slice stays on the student's graph
                return logits.get(":, {}:{}, :", columns[0], columns[1]); // (B, T, V)
            }
        }
        throw new IllegalStateException("the batch is laid out for " + (encoderDecoder != null ? "an encoder-decoder"
                : "a decoder-only") + " model, not for " + model.config().modelType());
    }

    /** The positions the losses count (labels other than -100), located in the model's output grid. */
    TargetPositions positions() {
        if (positions == null) {
            positions = decoderOnly == null ? TargetPositions.of(labels)
                    : TargetPositions.of(labels, decoderOnlyIds.getShape().get(1), decoderOnly.targetColumns()[0]);
        }
        return positions;
    }

    /**
     * Logits (N, V) of {@code model} at the counted {@link #positions()} only: the LM head never sees padding or a
     * decoder-only model's prompt.
     */
    NDArray logitsAt(PretrainedModel model, RunMode mode) {
        NDArray at = positions().indices(labels.getManager()); // (N)
        if (encoderDecoder != null && model instanceof Seq2SeqModel seq2seq) {
            return seq2seq.logitsAt(encoderDecoder.inputIds(), encoderDecoder.attentionMask(),
                    encoderDecoder.decoderInputIds(), at, mode);
        }
        if (decoderOnly != null && model instanceof CausalLm causal) {
            return causal.logitsAt(decoderOnlyIds, decoderOnlyMask, at, mode);
        }
        throw new IllegalStateException("the batch is laid out for " + (encoderDecoder != null ? "an encoder-decoder"
                : "a decoder-only") + " model, not for " + model.config().modelType());
    }

    /** (B, T) boolean: the positions the losses count. */
    NDArray mask() {
        return labels.neq(Labels.IGNORE_INDEX);
    }
}
