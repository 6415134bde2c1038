package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import java.util.Set;

/** An encoder-decoder language model (BART, T5). */
public interface Seq2SeqModel extends PretrainedModel {

    /**
     * Runs the encoder.
     *
     * @param inputIds (B, S) int64
     * @param attentionMask (B, S) 1 for tokens, 0 for padding
     */
    EncoderOutput encode(NDArray inputIds, NDArray attentionMask, RunMode mode);

    /**
     * Teacher-forced decoder pass.
     *
     * @param decoderInputIds (B, T) int64 (labels shifted right, starting with the decoder start token)
     * @param decoderAttentionMask (B, T) 1/0, or null when no decoder position is padding
     * @return logits (B, T, V)
     */
    default NDArray decode(NDArray decoderInputIds, NDArray decoderAttentionMask, EncoderOutput encoderOutput,
            RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            return lmHead(decodeHidden(decoderInputIds, decoderAttentionMask, encoderOutput, mode)); // (B, T, V)
        }
    }

    /** Encoder + decoder: logits (B, T, V). */
    default NDArray logits(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds, RunMode mode) {
        return decode(decoderInputIds, null, encode(inputIds, attentionMask, mode), mode);
    }

    /**
     * Encoder + decoder like {@link #logits}, with the LM head applied only at {@code positions}: flat indices into
     * the decoder's (B, T) positions (row-major, int64), e.g. {@link TargetPositions#indices}. The rows of the
     * result are those positions' logits, in the order given; the other positions never reach the LM head.
     *
     * @return logits (N, V)
     */
    default NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds, NDArray positions,
            RunMode mode) {
        try (Autograd.Scope grad = mode.gradScope()) {
            EncoderOutput encoded = encode(inputIds, attentionMask, mode);
            NDArray hidden = decodeHidden(decoderInputIds, null, encoded, mode); // (B, T, E)
            return lmHead(TargetPositions.select(hidden, positions)); // (N, V)
        }
    }

    /**
     * {@link #decode} without the LM head: the decoder's final hidden states (B, T, E), as the LM head reads them
     * (T5: after the final norm and dropout, before the tied-embedding scale).
     */
    NDArray decodeHidden(NDArray decoderInputIds, NDArray decoderAttentionMask, EncoderOutput encoderOutput,
            RunMode mode);

    /** The LM head: hidden states (..., E) -> logits (..., V). */
    NDArray lmHead(NDArray hidden);

    /** The attention blocks {@link #logitsWithAttention} can hand over (none unless the architecture says). */
    default Set<AttentionBlock> exposedAttention() {
        return Set.of();
    }

    /**
     * Encoder + decoder like {@link #logits}, also handing over the queries, keys and values of the last layer's
     * attention blocks in {@code blocks}, from the same pass (with {@link RunMode#TRAINING} they carry the
     * gradient). {@link #logits} computes none of them.
     *
     * @param blocks a subset of {@link #exposedAttention()}
     * @throws BadInputException when the architecture does not expose a block of {@code blocks}
     */
    default AttendedLogits logitsWithAttention(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds,
            Set<AttentionBlock> blocks, RunMode mode) {
        throw new BadInputException("the " + config().modelType() + " model does not expose its last layer's"
                + " attention queries, keys and values (asked for " + blocks + "); only BART and T5 do");
    }

    /**
     * Mean token cross-entropy of {@code labels} (B, T), -100 = ignored, with the decoder fed the labels
     * shifted right, exactly as {@code transformers} computes {@code loss} when given {@code labels}. The LM head
     * and the log-softmax run at the counted positions only ({@link #logitsAt}).
     *
     * @return a scalar; call backward on it to train
     */
    default NDArray loss(NDArray inputIds, NDArray attentionMask, NDArray labels, RunMode mode) {
        Integer start = config().specialTokens().decoderStart();
        Integer pad = config().specialTokens().pad();
        if (start == null || pad == null) {
            throw new IllegalStateException("config.json needs decoder_start_token_id and pad_token_id to shift labels");
        }
        NDArray decoderInputIds = Labels.shiftRight(labels, start, pad);
        TargetPositions counted = TargetPositions.of(labels);
        NDManager manager = labels.getManager();
        NDArray logits = logitsAt(inputIds, attentionMask, decoderInputIds, counted.indices(manager), mode); // (N, V)
        try (Autograd.Scope grad = mode.gradScope()) {
            return TokenCrossEntropy.meanAt(logits, counted.labels(manager));
        }
    }

    /**
     * Starts incremental decoding for these encoder outputs: computes the cross-attention keys and
     * values of every layer once and preallocates the self-attention cache.
     *
     * @param capacity the most decoder positions that will be fed (e.g. 1 + max new tokens)
     */
    IncrementalDecoder startDecoding(EncoderOutput encoderOutput, int capacity);
}
