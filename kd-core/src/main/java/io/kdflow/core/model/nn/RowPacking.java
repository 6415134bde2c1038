package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Which positions of a (B, T) grid are real, and how to move per-position rows between the padded grid and a
 * packed (N, F) list of the real ones (row-major). Everything in a transformer layer except the attention product
 * itself works position by position (projections, feed-forward, layer norms, dropout, residual adds), so a layer
 * can run those on the N real rows and pad only around the attention: a shuffled batch of short texts is about
 * half padding, and that half no longer goes through the linear layers, forward or backward.
 *
 * <p>Both directions are row gathers, which carry the gradient back: {@link #pack} selects the real rows,
 * {@link #pad} selects each grid position's packed row, or an appended zero row at padding. A row that is all
 * padding (a row with no asked position) pads to zeros throughout. A packed list has C rows, N real ones and
 * then filler up to a multiple of {@link #BLOCK_ROWS}; "(N, E)" in the layers' shape comments means that list.
 */
public final class RowPacking implements RowLayout {

    /**
     * Packed lists are allocated in whole blocks of this many rows. With a different N every batch, tensors of
     * ever new sizes fragmented glibc's heap: the same KD steps grew the process by ~3 MB a step (free but
     * unreturned heap; in-use memory flat) where the unpacked pass stayed level. The rows past N are copies of
     * the first real row that nothing reads back, so they get no gradient.
     */
    static final int BLOCK_ROWS = 64;

    private final int rows;
    private final int width;
    private final long[] real; // (N) flat grid index of each packed row
    private final long[] slotOf; // (B * T) packed row of each grid position, capacity at padding
    private final NDArray gatherIndex; // (capacity) int64, or null when nothing is padding
    private final NDArray slotIndex; // (B * T) int64, or null when nothing is padding

    private RowPacking(int rows, int width, long[] real, NDManager manager) {
        this.rows = rows;
        this.width = width;
        this.real = real;
        int gridSize = rows * width;
        boolean dense = real.length == gridSize;
        int capacity = dense ? real.length : (real.length + BLOCK_ROWS - 1) / BLOCK_ROWS * BLOCK_ROWS;
        this.slotOf = new long[gridSize];
        Arrays.fill(slotOf, capacity); // the zero row pad() appends
        long[] gather = new long[capacity];
        for (int n = 0; n < capacity; n++) {
            gather[n] = n < real.length ? real[n] : real.length > 0 ? real[0] : 0;
        }
        for (int n = 0; n < real.length; n++) {
            slotOf[Math.toIntExact(real[n])] = n;
        }
        this.gatherIndex = dense ? null : manager.create(gather);
        this.slotIndex = dense ? null : manager.create(slotOf);
    }

    /** The positions whose {@code attentionMask} (B, T) is not 0. */
    public static RowPacking ofMask(NDArray attentionMask) {
        Shape shape = attentionMask.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("an attention mask must be (B, T), got " + shape);
        }
        int rows = Math.toIntExact(shape.get(0));
        int width = Math.toIntExact(shape.get(1));
        long[] mask = attentionMask.toType(DataType.INT64, false).toLongArray();
        int count = 0;
        for (long m : mask) {
            count += m != 0 ? 1 : 0;
        }
        long[] real = new long[count];
        for (int i = 0, n = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                real[n++] = i;
            }
        }
        return new RowPacking(rows, width, real, attentionMask.getManager());
    }

    /**
     * The causal prefixes that {@code positions} (flat indices into a (B, T) grid) depend on: row b's positions
     * 0 .. t for its largest listed t. In a causal decoder nothing at or before t reads a later position, so the
     * rest of the row is padding for these positions.
     */
    public static RowPacking ofCausalPrefixes(long[] positions, int rows, int width, NDManager manager) {
        return ofCausalPrefixes(positions, rows, width, null, manager);
    }

    /**
     * {@link #ofCausalPrefixes(long[], int, int, NDManager)} without the prefixes' padding: positions whose
     * {@code attentionMask} (B, T) is 0 (no query reads them as keys) stay out unless asked for. A null mask
     * means no padding.
     */
    public static RowPacking ofCausalPrefixes(long[] positions, int rows, int width, NDArray attentionMask,
            NDManager manager) {
        boolean[] keep = new boolean[rows * width];
        int[] length = new int[rows];
        for (long position : positions) {
            if (position < 0 || position >= (long) rows * width) {
                throw new IllegalArgumentException("position " + position + " is outside a (" + rows + ", " + width
                        + ") grid");
            }
            int row = (int) (position / width);
            length[row] = Math.max(length[row], (int) (position % width) + 1);
            keep[(int) position] = true;
        }
        long[] mask = attentionMask == null ? null : attentionMask.toType(DataType.INT64, false).toLongArray();
        int count = 0;
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < length[b]; t++) {
                int flat = b * width + t;
                keep[flat] |= mask == null || mask[flat] != 0;
                count += keep[flat] ? 1 : 0;
            }
        }
        long[] real = new long[count];
        for (int flat = 0, n = 0; flat < keep.length; flat++) {
            if (keep[flat]) {
                real[n++] = flat;
            }
        }
        return new RowPacking(rows, width, real, manager);
    }

    /** N, the number of real positions. */
    public int count() {
        return real.length;
    }

    /**
     * The rows of {@code packed} (N, F) at grid positions {@code positions} (flat indices of real positions), in
     * that order: (P, F).
     */
    public NDArray at(NDArray packed, long[] positions) {
        long[] slots = new long[positions.length];
        for (int n = 0; n < positions.length; n++) {
            long slot = slotOf[Math.toIntExact(positions[n])];
            if (slot >= real.length) {
                throw new IllegalArgumentException("grid position " + positions[n] + " is padding");
            }
            slots[n] = slot;
        }
        return rowsOf(packed, packed.getManager().create(slots));
    }

    /**
     * (B, T, F) -> (C, F): the real positions' rows, row-major, then filler rows up to the capacity C (a multiple
     * of {@link #BLOCK_ROWS} at least N; N itself when nothing is padding).
     */
    @Override
    public NDArray pack(NDArray grid) {
        Shape shape = grid.getShape();
        NDArray flat = grid.reshape(new Shape((long) rows * width).addAll(shape.slice(2))); // (B*T, F)
        return gatherIndex == null ? flat : rowsOf(flat, gatherIndex);
    }

    /** (C, F) -> (B, T, F), zeros at padding; the filler rows are not read. */
    @Override
    public NDArray pad(NDArray packed) {
        Shape shape = packed.getShape();
        Shape rowShape = shape.slice(1);
        NDArray grid;
        if (slotIndex == null) {
            grid = packed;
        } else {
            NDArray zero = packed.getManager().zeros(new Shape(1).addAll(rowShape), packed.getDataType());
            grid = rowsOf(packed.concat(zero, 0), slotIndex); // (B*T, F)
        }
        return grid.reshape(new Shape(rows, width).addAll(rowShape));
    }

    /**
     * Rows {@code index} of the 2-D {@code table}, as an embedding lookup: its backward adds the gradient rows
     * into place vectorised, where the backward of an indexing {@code get} is libtorch's serial accumulating
     * {@code index_put_} (3.6 ms against about 0 extra for a (1600, 768) grid, measured).
     */
    private static NDArray rowsOf(NDArray table, NDArray index) {
        return Embeddings.lookup(index, table);
    }
}
