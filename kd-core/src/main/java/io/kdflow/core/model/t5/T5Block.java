package io.kdflow.core.model.t5;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.AttentionBlock;
import io.kdflow.core.model.nn.DecoderState;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.QueryKeyValue;
import io.kdflow.core.model.nn.RmsNorm;
import io.kdflow.core.model.nn.RowPacking;
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

    /** Encoder block: {@code bias} is position bias + key padding, (B, H, S, S). */
    NDArray encode(NDArray x, NDArray bias, RunMode mode) {
        return encode(x, bias, mode, null);
    }

    /** Encoder block that also puts its self-attention's projections into {@code captured} (unless null). */
    NDArray encode(NDArray x, NDArray bias, RunMode mode, Map<AttentionBlock, QueryKeyValue> captured) {
        NDArray normed = selfAttentionNorm.apply(x, scalars); // (B, S, E)
        if (captured != null) {
            captured.put(AttentionBlock.ENCODER_SELF, selfAttention.projections(normed)); // (B, S, HD)
        }
        NDArray h = x.add(Dropout.apply(selfAttention.forward(normed, bias, mode), dropout, mode));
        return h.add(Dropout.apply(feedForward.apply(feedForwardNorm.apply(h, scalars), mode), dropout, mode));
    }

    /** Teacher-forced decoder block. */
    NDArray decode(NDArray x, NDArray selfBias, NDArray encoderHidden, NDArray encoderMask, RunMode mode) {
        return decode(x, selfBias, encoderHidden, encoderMask, mode, Set.of(), null);
    }

    /**
     * Teacher-forced decoder block that also puts the projections of its attention blocks among {@code blocks}
     * into {@code captured} (none when {@code captured} is null).
     */
    NDArray decode(NDArray x, NDArray selfBias, NDArray encoderHidden, NDArray encoderMask, RunMode mode,
            Set<AttentionBlock> blocks, Map<AttentionBlock, QueryKeyValue> captured) {
        NDArray normed = selfAttentionNorm.apply(x, scalars); // (B, T, E)
        if (captured != null && blocks.contains(AttentionBlock.DECODER_SELF)) {
            captured.put(AttentionBlock.DECODER_SELF, selfAttention.projections(normed)); // (B, T, HD)
        }
        NDArray h = x.add(Dropout.apply(selfAttention.forward(normed, selfBias, mode), dropout, mode));
        NDArray crossInput = crossAttentionNorm.apply(h, scalars); // (B, T, E)
        if (captured != null && blocks.contains(AttentionBlock.DECODER_CROSS)) {
            // queries (B, T, HD) over the target, keys and values (B, S, HD) over the source
            captured.put(AttentionBlock.DECODER_CROSS, crossAttention.crossProjections(crossInput, encoderHidden));
        }
        NDArray crossed = crossAttention.cross(crossInput, crossAttention.memory(encoderHidden), encoderMask, mode);
        h = h.add(Dropout.apply(crossed, dropout, mode));
        return h.add(Dropout.apply(feedForward.apply(feedForwardNorm.apply(h, scalars), mode), dropout, mode));
    }

    /** {@link #encode} on the real positions only: (N, E) -> (N, E), packed as {@code rows} says. */
    NDArray encode(NDArray x, NDArray bias, RowPacking rows, RunMode mode) {
        NDArray attended = selfAttention.forward(selfAttentionNorm.apply(x, scalars), bias, rows, mode);
        NDArray h = x.add(Dropout.apply(attended, dropout, mode));
        return h.add(Dropout.apply(feedForward.apply(feedForwardNorm.apply(h, scalars), mode), dropout, mode));
    }

    /**
     * {@link #decode} on the real positions only: (N, E) -> (N, E), packed as {@code rows} says, over the encoder's
     * packed output {@code encoderHidden}.
     */
    NDArray decode(NDArray x, NDArray selfBias, RowPacking rows, NDArray encoderHidden, RowPacking sourceRows,
            NDArray encoderMask, RunMode mode) {
        NDArray attended = selfAttention.forward(selfAttentionNorm.apply(x, scalars), selfBias, rows, mode);
        NDArray h = x.add(Dropout.apply(attended, dropout, mode));
        NDArray crossed = crossAttention.cross(crossAttentionNorm.apply(h, scalars),
                crossAttention.memory(encoderHidden, sourceRows), encoderMask, rows, mode);
        h = h.add(Dropout.apply(crossed, dropout, mode));
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
