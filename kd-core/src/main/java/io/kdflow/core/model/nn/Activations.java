package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.config.ActivationFunction;

/** The activation functions of {@link ActivationFunction}, with {@code transformers}' formulas. */
public final class Activations {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final float GELU_CUBIC = 0.044715f;

    private Activations() {}

    public static NDArray apply(ActivationFunction function, NDArray x, Scalars scalars) {
        return switch (function) {
            case GELU -> x.getNDArrayInternal().gelu();
            case GELU_TANH -> geluTanh(x, scalars);
            case GELU_FAST -> {
                NDArray inner = x.mul(scalars.of(0.7978845608f)).mul(x.square().mul(scalars.of(GELU_CUBIC)).add(scalars.of(1f)));
                yield x.mul(scalars.of(0.5f)).mul(inner.tanh().add(scalars.of(1f)));
            }
            case QUICK_GELU -> x.mul(x.mul(scalars.of(1.702f)).getNDArrayInternal().sigmoid());
            case RELU -> x.getNDArrayInternal().relu();
            case SILU -> x.mul(x.getNDArrayInternal().sigmoid());
            case TANH -> x.tanh();
        };
    }

    /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as {@code gelu_new}. */
    private static NDArray geluTanh(NDArray x, Scalars scalars) {
        NDArray inner = x.add(x.pow(scalars.of(3f)).mul(scalars.of(GELU_CUBIC))).mul(scalars.of(SQRT_2_OVER_PI));
        return x.mul(scalars.of(0.5f)).mul(inner.tanh().add(scalars.of(1f)));
    }
}
