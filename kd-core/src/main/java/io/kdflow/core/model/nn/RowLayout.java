package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * How a layer's per-position rows lie: on the padded (B, T) grid itself ({@link #GRID}), or as a packed list of the
 * real positions ({@link RowPacking}). Only the attention products need the grid; the layers move their rows onto
 * it and back through this, so one forward serves both layouts.
 */
public interface RowLayout {

    /** Rows are the (B, T, F) grid; both moves are the identity. */
    RowLayout GRID = new RowLayout() {
        @Override
        public NDArray pad(NDArray rows) {
            return rows;
        }

        @Override
        public NDArray pack(NDArray grid) {
            return grid;
        }
    };

    /** Rows as laid out -> the (B, T, F) grid, zeros at padding. */
    NDArray pad(NDArray rows);

    /** The (B, T, F) grid -> rows as laid out. */
    NDArray pack(NDArray grid);
}
