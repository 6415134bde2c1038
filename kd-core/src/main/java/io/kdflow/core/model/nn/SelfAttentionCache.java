package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of one self-attention layer, preallocated to the decoding capacity and filled in
 * place as decoding advances (no concatenation per step). Both are stored (B, H, capacity, D), so a
 * step writes whole rows of D contiguous floats; the scores use the keys through a transposed view,
 * which the batched matrix multiply reads without a copy. (Keys stored (B, H, D, capacity) made each
 * write scatter single floats across cache lines, 8x slower than the row write, for a multiply that
 * was only slightly faster.)
 */
public final class SelfAttentionCache {

    private NDArray keys; // (B, H, capacity, D)
    private NDArray values; // (B, H, capacity, D)

    public SelfAttentionCache(NDManager manager, long batch, int heads, int headDim, int capacity) {
        keys = manager.zeros(new Shape(batch, heads, capacity, headDim));
        values = manager.zeros(new Shape(batch, heads, capacity, headDim));
    }

    /** Writes new keys and values, both (B, H, T, D), at positions start .. start+T-1. */
    public void write(NDArray newKeys, NDArray newValues, int start) {
        long steps = newValues.getShape().get(2);
        NDIndex positions = new NDIndex().addAllDim(2).addSliceDim(start, start + steps);
        keys.set(positions, newKeys);
        values.set(positions, newValues);
    }

    /** Transposed view of the keys of positions 0 .. end-1: (B, H, D, end), its handles owned by {@code owner}. */
    public NDArray keysT(int end, NDManager owner) {
        NDArray view = keys.get(new NDIndex().addAllDim(2).addSliceDim(0, end));
        view.attach(owner);
        return view.transpose(0, 1, 3, 2);
    }

    /** View of the values of positions 0 .. end-1: (B, H, end, D), its handle owned by {@code owner}. */
    public NDArray values(int end, NDManager owner) {
        NDArray view = values.get(new NDIndex().addAllDim(2).addSliceDim(0, end));
        view.attach(owner);
        return view;
    }

    /** Row i becomes old row {@code rows[i]} (beam search, dropping finished rows). */
    public void reorder(NDArray rows) {
        keys = replace(keys, keys.get(rows));
        values = replace(values, values.get(rows));
    }

    static NDArray replace(NDArray old, NDArray fresh) {
        old.close();
        return fresh;
    }
}
