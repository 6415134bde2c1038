package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What an incremental decoder keeps between steps: one preallocated {@link SelfAttentionCache} per
 * layer, the cross-attention memory (encoder-decoder models), an additive mask over cached positions
 * that holds padding, and the number of positions filled. All arrays live in this state's own
 * manager, closed with it.
 */
public final class DecoderState implements AutoCloseable {

    private final NDManager manager;
    private final SelfAttentionCache[] selfAttention;
    private final CrossAttentionMemory[] crossAttention;
    private final int capacity;
    private NDArray encoderMask; // (M, 1, 1, S) additive, or null: one row per memory row
    // k: decoder row r attends over memory row r / k, so that rows repeating an input (K samples, beams) share its
    // memory instead of each holding a copy; B = M * k
    private int rowsPerMemoryRow = 1;
    private NDArray keyMask; // (B, 1, 1, capacity) additive padding of decoder positions
    private boolean anyPadding;
    private long batch;
    private int length;
    private boolean closed;

    /**
     * @param manager owned by this state from now on
     * @param crossAttention one memory per layer, or null for decoder-only models
     */
    public DecoderState(NDManager manager, long batch, int layers, int heads, int headDim, int capacity,
            CrossAttentionMemory[] crossAttention, NDArray encoderMask) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("decoding capacity must be > 0, got " + capacity);
        }
        this.manager = manager;
        this.batch = batch;
        this.capacity = capacity;
        this.crossAttention = crossAttention;
        this.encoderMask = encoderMask;
        this.selfAttention = new SelfAttentionCache[layers];
        for (int i = 0; i < layers; i++) {
            selfAttention[i] = new SelfAttentionCache(manager, batch, heads, headDim, capacity);
        }
        this.keyMask = manager.zeros(new Shape(batch, 1, 1, capacity));
    }

    public NDManager manager() {
        return manager;
    }

    public SelfAttentionCache selfAttention(int layer) {
        return selfAttention[layer];
    }

    public CrossAttentionMemory crossAttention(int layer) {
        return crossAttention[layer];
    }

    /** (M, 1, 1, S) additive encoder padding mask, one row per memory row (see {@link #reorder}), or null. */
    public NDArray encoderMask() {
        return encoderMask;
    }

    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    public long batchSize() {
        return batch;
    }

    /**
     * Checks that {@code tokens} (B, T) fit, records their padding (tokenMask (B, T) 1/0, or null),
     * and returns the first position they occupy.
     */
    public int begin(NDArray tokens, NDArray tokenMask, Scalars scalars) {
        ensureOpen();
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2 || shape.get(0) != batch) {
            throw new IllegalArgumentException("tokens must be (" + batch + ", T), got " + shape);
        }
        int steps = Math.toIntExact(shape.get(1));
        if (length + steps > capacity) {
            throw new IllegalStateException("decoding capacity " + capacity + " exceeded: " + length + " + "
                    + steps + " positions");
        }
        if (tokenMask != null) {
            if (!tokenMask.getShape().equals(shape)) {
                throw new IllegalArgumentException("token mask " + tokenMask.getShape() + " != tokens " + shape);
            }
            NDArray blocked = tokenMask.eq(scalars.of(0f)).toType(DataType.FLOAT32, false)
                    .mul(scalars.of(Scalars.MASK_VALUE)).reshape(batch, 1, 1, steps);
            keyMask.set(new NDIndex(":, :, :, {}:{}", length, length + steps), blocked);
            anyPadding = true;
        }
        return length;
    }

    /**
     * Mask for the self-attention of {@code steps} new positions from {@code start}: causal among
     * them plus recorded padding, (B|1, 1, steps, start+steps); null when nothing is masked.
     */
    public NDArray selfAttentionMask(NDManager stepManager, int start, int steps, Scalars scalars) {
        int end = start + steps;
        NDArray causal = steps > 1 ? AttentionMasks.causal(stepManager, steps, end, start) : null;
        NDArray padding = null;
        if (anyPadding) {
            padding = keyMask.get(new NDIndex(":, :, :, :{}", end));
            padding.attach(stepManager);
        }
        return AttentionMasks.combine(causal, padding, scalars);
    }

    /** Marks {@code steps} more positions as filled. */
    public void advance(int steps) {
        length += steps;
    }

    /**
     * Row i of every cached tensor becomes old row {@code rows[i]}; the batch size may change. The cross-attention
     * memory follows the inputs, not the rows: when every run of k consecutive new rows comes from one memory row
     * (a beam reordered within its input, an input repeated K times), the memory keeps one row per run, and is not
     * copied at all while the runs keep their memory rows; otherwise it is gathered per row.
     */
    public void reorder(NDArray rows) {
        ensureOpen();
        for (SelfAttentionCache cache : selfAttention) {
            cache.reorder(rows);
        }
        keyMask = SelfAttentionCache.replace(keyMask, keyMask.get(rows));
        batch = rows.getShape().get(0);
        if (crossAttention != null) {
            reorderMemory(rows);
        }
    }

    private void reorderMemory(NDArray rows) {
        long[] picked = rows.toLongArray();
        long[] memoryRows = new long[picked.length];
        for (int i = 0; i < picked.length; i++) {
            memoryRows[i] = picked[i] / rowsPerMemoryRow;
        }
        int run = MemoryRuns.length(memoryRows);
        long[] kept = MemoryRuns.firstOfEachRun(memoryRows, run);
        rowsPerMemoryRow = run;
        if (MemoryRuns.isIdentity(kept, crossAttention[0].keysT().getShape().get(0))) {
            return; // every memory row stays where it is: nothing to copy
        }
        NDArray order = rows.getManager().create(kept);
        for (CrossAttentionMemory memory : crossAttention) {
            memory.reorder(order);
        }
        if (encoderMask != null) {
            encoderMask = SelfAttentionCache.replace(encoderMask, encoderMask.get(order));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("decoder state is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
