package io.kdflow.core.model.t5;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.AttentionBlock;
import io.kdflow.core.model.nn.CrossAttentionMemory;
import io.kdflow.core.model.nn.DecoderState;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.QueryKeyValue;
import io.kdflow.core.model.nn.RmsNorm;
import io.kdflow.core.model.nn.RowLayout;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.Scalars;
import java.util.Map;
import java.util.Set;

/**
 * One pre-norm T5 block: x + dropout(sublayer(rms_norm(x))) for self-attention, cross-attention
 * (decoder only) and the feed-forward.
 */
record T5Block(MultiHeadAttention selfAttention, RmsNorm selfAttentionNorm, MultiHeadAttention crossAttention,
        RmsNorm crossAttentionNorm, T5FeedForward feedForward, RmsNorm feedForwardNorm, double dropout,
        Scalars scalars) {

    /**
     * Encoder block: (B, S, E) -> (B, S, E) on the grid, (N, E) -> (N, E) packed, as {@code rows} says; {@code bias}
     * is position bias + key padding, (B, H, S, S). It also puts its self-attention's projections into
     * {@code captured} (unless null), on the grid whatever the layout.
     */
    NDArray encode(NDArray x, NDArray bias, RowLayout rows, RunMode mode, Map<AttentionBlock, QueryKeyValue> captured) {
        NDArray normed = selfAttentionNorm.apply(x, scalars);
        if (captured != null) {
            captured.put(AttentionBlock.ENCODER_SELF, selfAttention.projections(rows.pad(normed))); // (B, S, HD)
        }
        NDArray h = x.add(Dropout.apply(selfAttention.forward(normed, bias, rows, mode), dropout, mode));
        return h.add(Dropout.apply(feedForward.apply(feedForwardNorm.apply(h, scalars), mode), dropout, mode));
    }

    /**
     * Teacher-forced decoder block over decoder rows laid out as {@code rows} says and encoder rows laid out as
     * {@code sourceRows}. It also puts the projections of its attention blocks among {@code blocks} into
     * {@code captured} (none when {@code captured} is null), on the grid whatever the layout.
     */
    NDArray decode(NDArray x, NDArray selfBias, RowLayout rows, NDArray encoderHidden, RowLayout sourceRows,
            NDArray encoderMask, RunMode mode, Set<AttentionBlock> blocks, Map<AttentionBlock, QueryKeyValue> captured) {
        NDArray normed = selfAttentionNorm.apply(x, scalars);
        if (captured != null && blocks.contains(AttentionBlock.DECODER_SELF)) {
            captured.put(AttentionBlock.DECODER_SELF, selfAttention.projections(rows.pad(normed))); // (B, T, HD)
        }
        NDArray h = x.add(Dropout.apply(selfAttention.forward(normed, selfBias, rows, mode), dropout, mode));
        NDArray crossInput = crossAttentionNorm.apply(h, scalars);
        if (captured != null && blocks.contains(AttentionBlock.DECODER_CROSS)) {
            // queries (B, T, HD) over the target, keys and values (B, S, HD) over the source
            captured.put(AttentionBlock.DECODER_CROSS,
                    crossAttention.crossProjections(rows.pad(crossInput), sourceRows.pad(encoderHidden)));
        }
        CrossAttentionMemory memory = crossAttention.memory(encoderHidden, sourceRows);
        h = h.add(Dropout.apply(crossAttention.cross(crossInput, memory, encoderMask, rows, mode), dropout, mode));
        return h.add(Dropout.apply(feedForward.apply(feedForwardNorm.apply(h, scalars), mode), dropout, mode));
    }

    /** Inference step of new decoder positions against the cache of block {@code index}. */
    NDArray step(NDArray x, NDArray selfBias, DecoderState state, int index, int start) {
        NDArray h = x.add(selfAttention.step(selfAttentionNorm.apply(x, scalars), selfBias, state.selfAttention(index), start));
        h = h.add(crossAttention.cross(crossAttentionNorm.apply(h, scalars), state.crossAttention(index),
                state.encoderMask(), RunMode.INFERENCE));
        return h.add(feedForward.apply(feedForwardNorm.apply(h, scalars), RunMode.INFERENCE));
    }
}
