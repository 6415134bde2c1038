package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention masks: 0 where attending is allowed, the most negative float where not (as
 * {@code transformers} does, so a fully masked row stays finite instead of turning into NaN).
 */
public final class AttentionMasks {

    private AttentionMasks() {}

    /** Padding mask over keys from a (B, S) 1/0 attention mask -> (B, 1, 1, S) float32. */
    public static NDArray keyPadding(NDArray attentionMask, Scalars scalars) {
        Shape shape = attentionMask.getShape();
        NDArray blocked = attentionMask.eq(scalars.of(0f)).toType(DataType.FLOAT32, false);
        return blocked.mul(scalars.of(Scalars.MASK_VALUE)).reshape(shape.get(0), 1, 1, shape.get(1));
    }

    /**
     * {@link #keyPadding}, or null when no position is padding: adding an all-zero mask changes nothing,
     * so attention skips the add (one check here instead of one add per layer).
     */
    public static NDArray keyPaddingIfAny(NDArray attentionMask, Scalars scalars) {
        try (NDArray padding = attentionMask.eq(scalars.of(0f)); NDArray any = padding.any()) {
            if (!any.getBoolean()) {
                return null;
            }
        }
        return keyPadding(attentionMask, scalars);
    }

    /**
     * Causal mask for {@code queries} new positions starting at absolute position {@code offset}
     * against keys 0 .. keys-1 -> (1, 1, queries, keys); query i sees key j iff j <= offset + i.
     */
    public static NDArray causal(NDManager manager, int queries, int keys, int offset) {
        float[] mask = new float[queries * keys];
        for (int i = 0; i < queries; i++) {
            for (int j = offset + i + 1; j < keys; j++) {
                mask[i * keys + j] = Scalars.MASK_VALUE;
            }
        }
        return manager.create(mask, new Shape(1, 1, queries, keys));
    }

    /** Sum of two masks, kept finite where both block (MIN + MIN would overflow to -inf). */
    public static NDArray combine(NDArray first, NDArray second, Scalars scalars) {
        if (first == null) {
            return second;
        }
        if (second == null) {
            return first;
        }
        return first.add(second).maximum(scalars.of(Scalars.MASK_VALUE));
    }
}
