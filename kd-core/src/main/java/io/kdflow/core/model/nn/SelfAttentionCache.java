package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of one self-attention layer, filled in place as decoding advances (no concatenation per
 * step). Both are stored (B, H, allocated, D), so a step writes whole rows of D contiguous floats; the scores use
 * the keys through a transposed view, which the batched matrix multiply reads without a copy. (Keys stored
 * (B, H, D, capacity) made each write scatter single floats across cache lines, 8x slower than the row write,
 * for a multiply that was only slightly faster.)
 *
 * <p>The positions are allocated {@value #CHUNK} at a time up to the decoding capacity, not all at once: most
 * sequences end well before their token limit, and beam search copies the whole cache at every step's
 * {@link #reorder} (bart-small, beam 4, 64 inputs: 100 MB per batch at a capacity of 48 positions).
 */
public final class SelfAttentionCache {

    /** Positions allocated at a time: growing copies the cache, so not one position at a time. */
    static final int CHUNK = 16;

    private final int capacity;
    private NDArray keys; // (B, H, allocated, D)
    private NDArray values; // (B, H, allocated, D)

    public SelfAttentionCache(NDManager manager, long batch, int heads, int headDim, int capacity) {
        this.capacity = capacity;
        int allocated = Math.min(capacity, CHUNK);
        keys = manager.zeros(new Shape(batch, heads, allocated, headDim));
        values = manager.zeros(new Shape(batch, heads, allocated, headDim));
    }

    /** Positions the arrays hold now (at most the capacity). */
    int allocated() {
        return Math.toIntExact(keys.getShape().get(2));
    }

    /** Writes new keys and values, both (B, H, T, D), at positions start .. start+T-1. */
    public void write(NDArray newKeys, NDArray newValues, int start) {
        long steps = newValues.getShape().get(2);
        reserve(Math.toIntExact(start + steps));
        NDIndex positions = new NDIndex().addAllDim(2).addSliceDim(start, start + steps);
        keys.set(positions, newKeys);
        values.set(positions, newValues);
    }

    /** Grows the arrays to hold {@code end} positions, in whole chunks up to the capacity. */
    private void reserve(int end) {
        int allocated = allocated();
        if (end <= allocated) {
            return;
        }
        if (end > capacity) {
            throw new IllegalStateException("self-attention cache of capacity " + capacity + " asked for " + end
                    + " positions");
        }
        int grown = Math.min(capacity, (end + CHUNK - 1) / CHUNK * CHUNK);
        keys = replace(keys, grownBy(keys, grown - allocated));
        values = replace(values, grownBy(values, grown - allocated));
    }

    /** {@code array} (B, H, n, D) followed by {@code positions} zero positions: (B, H, n + positions, D). */
    private static NDArray grownBy(NDArray array, int positions) {
        Shape shape = array.getShape();
        try (NDArray zeros = array.getManager().zeros(new Shape(shape.get(0), shape.get(1), positions, shape.get(3)))) {
            return array.concat(zeros, 2);
        }
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
