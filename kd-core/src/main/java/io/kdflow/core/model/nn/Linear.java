package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * y = x W^T + b with W of shape (out, in). Inputs of more than two axes are flattened to (N, in)
 * first: libtorch's C++ linear fuses the bias into the matrix multiply (addmm) only for 2-D input,
 * and adds it in a separate pass over the output otherwise.
 */
public record Linear(NDArray weight, NDArray bias) {

    /** (..., in) -> (..., out); the result lives in {@code x}'s manager. */
    public NDArray apply(NDArray x) {
        Shape shape = x.getShape();
        int axes = shape.dimension();
        if (axes == 2) {
            return fused(x);
        }
        NDArray flat = fused(x.reshape(-1, shape.get(axes - 1))); // (N, out)
        return flat.reshape(shape.slice(0, axes - 1).add(outFeatures()));
    }

    private NDArray fused(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    public long outFeatures() {
        return weight.getShape().get(0);
    }
}
