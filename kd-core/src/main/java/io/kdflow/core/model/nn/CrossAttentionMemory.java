package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;

/** Keys (B, H, D, S) and values (B, H, S, D) of one cross-attention layer, computed once per input. */
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

    public void reorder(NDArray rows) {
        keysT = SelfAttentionCache.replace(keysT, keysT.get(rows));
        values = SelfAttentionCache.replace(values, values.get(rows));
    }
}
