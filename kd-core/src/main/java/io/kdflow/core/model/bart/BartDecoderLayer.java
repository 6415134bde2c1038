package io.kdflow.core.model.bart;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.AttentionBlock;
import io.kdflow.core.model.config.ActivationFunction;
import io.kdflow.core.model.nn.Activations;
import io.kdflow.core.model.nn.CrossAttentionMemory;
import io.kdflow.core.model.nn.DecoderState;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.LayerNorm;
import io.kdflow.core.model.nn.Linear;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.QueryKeyValue;
import io.kdflow.core.model.nn.RowLayout;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.Scalars;
import java.util.Map;
import java.util.Set;

/** One post-layer-norm BART decoder layer: causal self-attention, cross-attention, feed-forward. */
record BartDecoderLayer(MultiHeadAttention selfAttention, LayerNorm selfAttentionNorm,
        MultiHeadAttention crossAttention, LayerNorm crossAttentionNorm, Linear fc1, Linear fc2, LayerNorm finalNorm,
        ActivationFunction activation, double dropout, double activationDropout, Scalars scalars) {

    /**
     * Teacher-forced pass: (B, T, E) -> (B, T, E) on the grid, (N, E) -> (N, E) packed. It also puts the
     * projections of its attention blocks among {@code blocks} into {@code captured} (none when {@code captured}
     * is null), on the grid whatever the layout.
     */
    NDArray forward(NDArray x, NDArray selfMask, RowLayout rows, NDArray encoderHidden, RowLayout sourceRows,
            NDArray encoderMask, RunMode mode, Set<AttentionBlock> blocks, Map<AttentionBlock, QueryKeyValue> captured) {
        if (captured != null && blocks.contains(AttentionBlock.DECODER_SELF)) {
            captured.put(AttentionBlock.DECODER_SELF, selfAttention.projections(rows.pad(x))); // (B, T, HD)
        }
        NDArray attended = selfAttention.forward(x, selfMask, rows, mode);
        NDArray h = selfAttentionNorm.apply(x.add(Dropout.apply(attended, dropout, mode)));
        if (captured != null && blocks.contains(AttentionBlock.DECODER_CROSS)) {
            // queries (B, T, HD) over the target, keys and values (B, S, HD) over the source
            captured.put(AttentionBlock.DECODER_CROSS,
                    crossAttention.crossProjections(rows.pad(h), sourceRows.pad(encoderHidden)));
        }
        CrossAttentionMemory memory = crossAttention.memory(encoderHidden, sourceRows);
        NDArray crossed = crossAttention.cross(h, memory, encoderMask, rows, mode);
        h = crossAttentionNorm.apply(h.add(Dropout.apply(crossed, dropout, mode)));
        return feedForward(h, fc1, fc2, finalNorm, activation, dropout, activationDropout, scalars, mode);
    }

    /** Inference step of new positions (B, T, E) starting at {@code start}, using the cache of layer {@code index}. */
    NDArray step(NDArray x, NDArray selfMask, DecoderState state, int index, int start) {
        NDArray h = selfAttentionNorm.apply(x.add(selfAttention.step(x, selfMask, state.selfAttention(index), start)));
        NDArray crossed = crossAttention.cross(h, state.crossAttention(index), state.encoderMask(), RunMode.INFERENCE);
        h = crossAttentionNorm.apply(h.add(crossed));
        return feedForward(h, fc1, fc2, finalNorm, activation, 0, 0, scalars, RunMode.INFERENCE);
    }

    /** fc2(dropout(act(fc1(x)))) with dropout, residual and layer norm. */
    static NDArray feedForward(NDArray x, Linear fc1, Linear fc2, LayerNorm norm, ActivationFunction activation,
            double dropout, double activationDropout, Scalars scalars, RunMode mode) {
        NDArray hidden = Dropout.apply(Activations.apply(activation, fc1.apply(x), scalars), activationDropout, mode);
        return norm.apply(x.add(Dropout.apply(fc2.apply(hidden), dropout, mode)));
    }
}
