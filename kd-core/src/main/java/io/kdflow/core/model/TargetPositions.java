package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The positions of a (B, T) label grid that a loss counts (label not -100), in row-major order, and where each
 * sits in the (B, W) grid of the model's outputs. Running the LM head, the log-softmax and the loss at these N
 * positions only skips every shorter target's padding: about half the positions of a shuffled batch of short
 * targets, and all of their (V)-wide rows.
 */
public final class TargetPositions {

    private final int rows;
    private final long[] flat; // (N) index into the model's (B * W) positions
    private final long[] labelFlat; // (N) index into the labels' (B * T) positions
    private final long[] labels; // (N) the label at each position
    private final int[] rowOf; // (N) the batch row of each position
    private final int[] counts; // (B) counted positions per row

    private TargetPositions(int rows, long[] flat, long[] labelFlat, long[] labels, int[] rowOf, int[] counts) {
        this.rows = rows;
        this.flat = flat;
        this.labelFlat = labelFlat;
        this.labels = labels;
        this.rowOf = rowOf;
        this.counts = counts;
    }

    /** The counted positions of {@code labels} (B, T), which are also the model's output grid. */
    public static TargetPositions of(NDArray labels) {
        long width = labels.getShape().get(1);
        return of(labels, width, 0);
    }

    /**
     * The counted positions of {@code labels} (B, T) when label column t is predicted by output column
     * {@code columnOffset + t} of a (B, {@code gridWidth}) output grid (a decoder-only model's prompt + target).
     */
    public static TargetPositions of(NDArray labels, long gridWidth, long columnOffset) {
        Shape shape = labels.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("labels must be (B, T), got " + shape);
        }
        int batch = Math.toIntExact(shape.get(0));
        int width = Math.toIntExact(shape.get(1));
        if (columnOffset < 0 || columnOffset + width > gridWidth) {
            throw new IllegalArgumentException("label columns " + columnOffset + " .. " + (columnOffset + width)
                    + " do not fit an output grid " + gridWidth + " wide");
        }
        long[] all = labels.toType(DataType.INT64, false).toLongArray();
        int[] counts = new int[batch];
        int total = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != Labels.IGNORE_INDEX) {
                counts[i / width]++;
                total++;
            }
        }
        long[] flat = new long[total];
        long[] labelFlat = new long[total];
        long[] kept = new long[total];
        int[] rowOf = new int[total];
        for (int i = 0, n = 0; i < all.length; i++) {
            if (all[i] != Labels.IGNORE_INDEX) {
                int row = i / width;
                flat[n] = row * gridWidth + columnOffset + i % width;
                labelFlat[n] = i;
                kept[n] = all[i];
                rowOf[n++] = row;
            }
        }
        return new TargetPositions(batch, flat, labelFlat, kept, rowOf, counts);
    }

    /** N, the number of counted positions. */
    public int count() {
        return flat.length;
    }

    /** B, the number of batch rows. */
    public int rows() {
        return rows;
    }

    /** How many positions of batch row {@code row} are counted. */
    public int countOf(int row) {
        return counts[row];
    }

    /** (N) int64: each position's index into the flattened (B * W) output grid. */
    public NDArray indices(NDManager manager) {
        return manager.create(flat);
    }

    /** (N) int64: each position's index into the flattened (B * T) label grid (and grids aligned with it). */
    public NDArray labelIndices(NDManager manager) {
        return manager.create(labelFlat);
    }

    /** Each position's index into the flattened (B * T) label grid. */
    public long labelIndex(int position) {
        return labelFlat[position];
    }

    /** (N) int64: the label at each position. */
    public NDArray labels(NDManager manager) {
        return manager.create(labels);
    }

    /**
     * Rows {@code positions} of {@code grid} (B, W, ...) flattened to (B * W, ...): (N, ...). The selection
     * carries the gradient back to the chosen rows.
     */
    public static NDArray select(NDArray grid, NDArray positions) {
        Shape shape = grid.getShape();
        NDArray flatGrid = grid.reshape(new Shape(shape.get(0) * shape.get(1)).addAll(shape.slice(2))); // (B*W, ...)
        return flatGrid.get(positions); // (N, ...)
    }

    /**
     * (N) weights of the paper's per-example mean: 1 / (B * n_b) at a position of row b with n_b counted
     * positions, so that the weighted sum of per-position values is the mean over rows of each row's mean.
     */
    public NDArray perExampleWeights(NDManager manager, DataType type) {
        float[] weights = new float[flat.length];
        for (int n = 0; n < weights.length; n++) {
            weights[n] = (float) (1.0 / ((double) rows * counts[rowOf[n]]));
        }
        return manager.create(weights).toType(type, false);
    }
}
