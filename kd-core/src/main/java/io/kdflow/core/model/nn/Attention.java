package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head attention arithmetic shared by the architectures (no weights here). Sequences are
 * (B, T, H*D); a single position may also come as (B, H*D) (one decoding step), which needs only
 * reshapes, no transposes.
 */
public final class Attention {

    private Attention() {}

    /** (B, T, H*D) -> (B, H, T, D); (B, H*D) -> (B, H, 1, D). */
    public static NDArray heads(NDArray x, int heads) {
        Shape shape = x.getShape();
        if (shape.dimension() == 2) {
            return x.reshape(shape.get(0), heads, 1, -1);
        }
        return x.reshape(shape.get(0), shape.get(1), heads, -1).transpose(0, 2, 1, 3);
    }

    /** (B, T, H*D) -> (B, H, D, T); (B, H*D) -> (B, H, D, 1): keys stored transposed so scores need no transpose. */
    public static NDArray headsTransposed(NDArray x, int heads) {
        Shape shape = x.getShape();
        if (shape.dimension() == 2) {
            return x.reshape(shape.get(0), heads, -1, 1);
        }
        return x.reshape(shape.get(0), shape.get(1), heads, -1).transpose(0, 2, 3, 1);
    }

    /** (B, H, T, D) -> (B, T, H*D). */
    public static NDArray merge(NDArray x) {
        Shape shape = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(shape.get(0), shape.get(2), shape.get(1) * shape.get(3));
    }

    /** (B, H, 1, D) -> (B, H*D), a view: the single-position form of {@link #merge}. */
    public static NDArray mergeSingle(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1) * shape.get(3));
    }

    /** {@link #mergeSingle} when the attention input was a single position (B, H*D), else {@link #merge}. */
    static NDArray mergeLike(NDArray x, NDArray input) {
        return input.getShape().dimension() == 2 ? mergeSingle(x) : merge(x);
    }

    /**
     * softmax(q kT + bias) v.
     *
     * @param q (B, H, T, D), already scaled if the architecture scales
     * @param keysT (B, H, D, S)
     * @param values (B, H, S, D)
     * @param bias additive mask and/or position bias broadcastable to (B, H, T, S), or null
     * @return (B, H, T, D)
     */
    public static NDArray attend(NDArray q, NDArray keysT, NDArray values, NDArray bias, double dropout,
            RunMode mode) {
        NDArray scores = AttentionProduct.of(q, keysT); // (B, H, T, S)
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray weights = Dropout.apply(scores.softmax(-1), dropout, mode);
        return AttentionProduct.of(weights, values);
    }
}
