package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import io.kdflow.core.model.AttentionBlock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Frees a layer's intermediate arrays as soon as the layer returns. DJL keeps every array a pass creates
 * until its manager closes, so a whole-sequence pass used to hold the activations of all its layers at once
 * (about 100 MB per BART-small encoder layer at 64 x 64 tokens: a 64-row scoring batch peaked ~400 MB higher
 * than the tensors it needed), where PyTorch frees each one when its last reference goes. Closing a handle
 * only drops a reference: what autograd saved for the backward pass stays alive until the backward pass.
 */
public final class LayerScope {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private LayerScope() {}

    /**
     * Whether this thread is inside a layer of a whole-sequence pass (an encoder or decoder stack, not an
     * incremental decoding step): each weight is read once per pass there ({@link Linear} packs it per call).
     */
    public static boolean active() {
        return DEPTH.get()[0] > 0;
    }

    /**
     * The next hidden states of a stack: runs {@code layer} as {@link #output(Supplier, Map)} does, then closes
     * {@code previous}, the hidden states it read (the previous layer's output, which nothing else reads: a
     * 12-layer stack no longer holds 12 of them at once).
     */
    public static NDArray next(NDArray previous, Supplier<NDArray> layer, Map<AttentionBlock, QueryKeyValue> captured) {
        NDArray out = output(layer, captured);
        if (out != previous) {
            previous.close();
        }
        return out;
    }

    /**
     * Runs {@code layer}; every array it created is closed on return except its output and the attention
     * projections it put into {@code captured} (null: none).
     */
    public static NDArray output(Supplier<NDArray> layer, Map<AttentionBlock, QueryKeyValue> captured) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try (NDScope scope = new NDScope()) {
            NDArray out = layer.get();
            NDScope.unregister(out);
            if (captured != null) {
                for (QueryKeyValue projections : captured.values()) {
                    NDScope.unregister(projections.queries(), projections.keys(), projections.values());
                }
            }
            return out;
        } finally {
            depth[0]--;
        }
    }
}
