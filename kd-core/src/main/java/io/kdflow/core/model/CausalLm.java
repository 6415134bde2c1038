package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
     * {@code transformers} computes {@code loss} for causal LMs; the LM head and the log-softmax run at the counted
     * positions only ({@link #logitsAt}).
     */
    default NDArray loss(NDArray inputIds, NDArray attentionMask, NDArray labels, RunMode mode) {
        long length = inputIds.getShape().get(1);
        NDArray targets = labels.get(":, 1:"); // (B, T - 1): column t is predicted by position t
        TargetPositions counted = TargetPositions.of(targets, length, 0);
        NDManager manager = labels.getManager();
        NDArray logits = logitsAt(inputIds, attentionMask, counted.indices(manager), mode); // (N, V)
        try (Autograd.Scope grad = mode.gradScope()) {
            return TokenCrossEntropy.meanAt(logits, counted.labels(manager));
        }
    }

    /**
     * Full forward pass with the LM head applied only at {@code positions}: flat indices into the (B, T) positions
     * (row-major, int64), e.g. {@link TargetPositions#indices}.
     *
     * @return logits (N, V), in the order of {@code positions}
     */
    default NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray positions, RunMode mode) {
        NDArray logits = logits(inputIds, attentionMask, mode); // (B, T, V)
        try (Autograd.Scope grad = mode.gradScope()) {
            return TargetPositions.select(logits, positions); // (N, V)
        }
    }

    /** Starts incremental decoding of {@code batchSize} rows with room for {@code capacity} positions. */
    IncrementalDecoder startDecoding(long batchSize, int capacity);
}
