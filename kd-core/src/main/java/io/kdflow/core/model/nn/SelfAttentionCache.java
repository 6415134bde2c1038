package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of one self-attention layer, preallocated to the decoding capacity and filled in
 * place as decoding advances (no concatenation per step). Keys are stored transposed, (B, H, D, T),
 * so that scores are a plain {@code q.matMul(keysT)}.
 */
public final class SelfAttentionCache {

    private NDArray keysT; // (B, H, D, capacity)
    private NDArray values; // (B, H, capacity, D)

    public SelfAttentionCache(NDManager manager, long batch, int heads, int headDim, int capacity) {
        keysT = manager.zeros(new Shape(batch, heads, headDim, capacity));
        values = manager.zeros(new Shape(batch, heads, capacity, headDim));
    }

    /** Writes new keys (B, H, D, T) and values (B, H, T, D) at positions start .. start+T-1. */
    public void write(NDArray newKeysT, NDArray newValues, int start) {
        long steps = newValues.getShape().get(2);
        keysT.set(new NDIndex().addAllDim(3).addSliceDim(start, start + steps), newKeysT);
        values.set(new NDIndex().addAllDim(2).addSliceDim(start, start + steps), newValues);
    }

    /** View of the keys of positions 0 .. end-1: (B, H, D, end), its handle owned by {@code owner}. */
    public NDArray keysT(int end, NDManager owner) {
        NDArray view = keysT.get(new NDIndex().addAllDim(3).addSliceDim(0, end));
        view.attach(owner);
        return view;
    }

    /** View of the values of positions 0 .. end-1: (B, H, end, D), its handle owned by {@code owner}. */
    public NDArray values(int end, NDManager owner) {
        NDArray view = values.get(new NDIndex().addAllDim(2).addSliceDim(0, end));
        view.attach(owner);
        return view;
    }

    /** Row i becomes old row {@code rows[i]} (beam search, dropping finished rows). */
    public void reorder(NDArray rows) {
        keysT = replace(keysT, keysT.get(rows));
        values = replace(values, values.get(rows));
    }

    static NDArray replace(NDArray old, NDArray fresh) {
        old.close();
        return fresh;
    }
}
