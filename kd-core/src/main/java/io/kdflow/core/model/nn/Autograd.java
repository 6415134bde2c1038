package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's autograd switches. Grad mode is per thread in libtorch and on by default on every thread
 * except the one that loaded the engine, so code that must not record a graph (decoding) turns it off
 * explicitly. Unlike DJL's {@code GradientCollector} this allows one training thread per model.
 */
public final class Autograd {

    private Autograd() {}

    /** Restores the previous grad mode on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Records operations for backward until the scope closes. */
    public static Scope enabled() {
        return set(true);
    }

    /** Records nothing until the scope closes. */
    public static Scope disabled() {
        return set(false);
    }

    private static Scope set(boolean on) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(on);
        return () -> JniUtils.setGradMode(previous);
    }

    /** Accumulates d(scalar)/d(parameter) into every parameter that requires a gradient. */
    public static void backward(NDArray scalar) {
        try (NDArray seed = scalar.onesLike()) {
            JniUtils.backward((PtNDArray) scalar, (PtNDArray) seed, false, false);
        }
    }

    /** Zeroes a parameter's accumulated gradient. */
    public static void zeroGradient(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }
}
