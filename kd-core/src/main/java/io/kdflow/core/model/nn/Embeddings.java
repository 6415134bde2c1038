package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;

/** Table lookups: token ids and position ranges to vectors. */
public final class Embeddings {

    private Embeddings() {}

    /** ids (...) int64 -> (..., E). */
    public static NDArray lookup(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Rows first .. first+count-1 of a position table -> (count, E), built in {@code like}'s manager. */
    public static NDArray positions(NDArray like, NDArray table, long first, long count) {
        NDArray ids = like.getManager().arange((int) first, (int) (first + count), 1, DataType.INT64);
        return lookup(ids, table);
    }
}
