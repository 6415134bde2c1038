package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * Keys (B, H, D, S) and values (B, H, S, D) of one cross-attention layer, computed once per input.
 * Decoding keeps them contiguous ({@link #compact()}): a strided view would be copied by every step's
 * matrix multiply.
 */
public final class CrossAttentionMemory {

    private NDArray keysT;
    private NDArray values;

    public CrossAttentionMemory(NDArray keysT, NDArray values) {
        this.keysT = keysT;
        this.values = values;
    }

    public NDArray keysT() {
        return keysT;
    }

    public NDArray values() {
        return values;
    }

    /** Makes both tensors contiguous in memory (a copy only where they are strided views). */
    public void compact() {
        keysT = Tensors.contiguous(keysT);
        values = Tensors.contiguous(values);
    }

    public void reorder(NDArray rows) {
        keysT = SelfAttentionCache.replace(keysT, keysT.get(rows));
        values = SelfAttentionCache.replace(values, values.get(rows));
    }
}
