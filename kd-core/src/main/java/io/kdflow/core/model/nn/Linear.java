package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b with W of shape (out, in), in one fused libtorch call. */
public record Linear(NDArray weight, NDArray bias) {

    /** (..., in) -> (..., out); the result lives in {@code x}'s manager. */
    public NDArray apply(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    public long outFeatures() {
        return weight.getShape().get(0);
    }
}
