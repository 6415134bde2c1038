package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;

/** A decoder-only language model (GPT-2). */
public interface CausalLm extends PretrainedModel {

    /**
     * Full forward pass.
     *
     * @param inputIds (B, T) int64
     * @param attentionMask (B, T) 1/0 or null; with left padding, position ids count only real tokens
     * @return logits (B, T, V)
     */
    NDArray logits(NDArray inputIds, NDArray attentionMask, RunMode mode);

    /**
     * Mean next-token cross-entropy: logits at t predict {@code labels} at t+1 (-100 = ignored), as
     * {@code transformers} computes {@code loss} for causal LMs.
     */
    default NDArray loss(NDArray inputIds, NDArray attentionMask, NDArray labels, RunMode mode) {
        NDArray logits = logits(inputIds, attentionMask, mode);
        try (Autograd.Scope grad = mode.gradScope()) {
            long length = logits.getShape().get(1);
            NDArray predicted = logits.get(":, :{}, :", length - 1);
            NDArray targets = labels.get(":, 1:");
            return TokenCrossEntropy.mean(predicted, targets);
        }
    }

    /** Starts incremental decoding of {@code batchSize} rows with room for {@code capacity} positions. */
    IncrementalDecoder startDecoding(long batchSize, int capacity);
}
