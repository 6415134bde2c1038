package io.kdflow.core.model.t5;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.nn.DecoderState;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.RmsNorm;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.Scalars;

/**
 * One pre-norm T5 block: x + dropout(sublayer(rms_norm(x))) for self-attention, cross-attention
 * (decoder only) and the feed-forward.
 */
record T5Block(MultiHeadAttention selfAttention, RmsNorm selfAttentionNorm, MultiHeadAttention crossAttention,
        RmsNorm crossAttentionNorm, T5FeedForward feedForward, RmsNorm feedForwardNorm, double dropout,
        Scalars scalars) {

    /** Encoder block: {@code bias} is position bias + key padding, (B, H, S, S). */
    NDArray encode(NDArray x, NDArray bias, RunMode mode) {
        NDArray h = x.add(Dropout.apply(selfAttention.forward(selfAttentionNorm.apply(x, scalars), bias, mode), dropout, mode));
        return h.add(Dropout.apply(feedForward.apply(feedForwardNorm.apply(h, scalars), mode), dropout, mode));
    }

    /** Teacher-forced decoder block. */
    NDArray decode(NDArray x, NDArray selfBias, NDArray encoderHidden, NDArray encoderMask, RunMode mode) {
        NDArray h = x.add(Dropout.apply(selfAttention.forward(selfAttentionNorm.apply(x, scalars), selfBias, mode),
                dropout, mode));
        NDArray crossed = crossAttention.cross(crossAttentionNorm.apply(h, scalars), crossAttention.memory(encoderHidden),
                encoderMask, mode);
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
