package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Argument checks with messages that say which input is wrong and how. */
public final class Inputs {

    private Inputs() {}

    /** (B, T) int64 token ids with T >= 1 and T <= maxLength (when maxLength > 0). */
    public static void checkIds(NDArray ids, String name, int maxLength) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2 || shape.get(1) < 1) {
            throw new IllegalArgumentException(name + " must be (batch, length >= 1), got " + shape);
        }
        if (ids.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException(name + " must be int64, got " + ids.getDataType());
        }
        if (maxLength > 0 && shape.get(1) > maxLength) {
            throw new IllegalArgumentException(name + " has length " + shape.get(1)
                    + " but the model supports at most " + maxLength + " positions");
        }
    }

    /** A mask must have exactly the shape of its ids. */
    public static void checkMask(NDArray mask, NDArray ids, String name) {
        if (mask != null && !mask.getShape().equals(ids.getShape())) {
            throw new IllegalArgumentException(name + " " + mask.getShape() + " does not match ids " + ids.getShape());
        }
    }
}
