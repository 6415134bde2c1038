package io.kdflow.core.model.bart;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.config.ActivationFunction;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.LayerNorm;
import io.kdflow.core.model.nn.Linear;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.RowLayout;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.Scalars;

/** One post-layer-norm BART encoder layer: self-attention, then a feed-forward block, each add & norm. */
record BartEncoderLayer(MultiHeadAttention selfAttention, LayerNorm selfAttentionNorm, Linear fc1, Linear fc2,
        LayerNorm finalNorm, ActivationFunction activation, double dropout, double activationDropout,
        Scalars scalars) {

    /**
     * (B, S, E) -> (B, S, E) on the grid, (N, E) -> (N, E) packed, as {@code rows} says; {@code mask} is the
     * (B, 1, 1, S) key padding mask.
     */
    NDArray forward(NDArray x, NDArray mask, RowLayout rows, RunMode mode) {
        NDArray attended = selfAttention.forward(x, mask, rows, mode);
        NDArray h = selfAttentionNorm.apply(x.add(Dropout.apply(attended, dropout, mode)));
        return BartDecoderLayer.feedForward(h, fc1, fc2, finalNorm, activation, dropout, activationDropout, scalars, mode);
    }
}
