package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;

/** T5's layer norm: scale only, no mean subtraction, no bias: w * x / sqrt(mean(x^2) + eps). */
public record RmsNorm(NDArray weight, float eps) {

    public NDArray apply(NDArray x, Scalars scalars) {
        NDArray variance = x.square().mean(new int[] {-1}, true); // (..., 1)
        return x.div(variance.add(scalars.of(eps)).sqrt()).mul(weight);
    }
}
