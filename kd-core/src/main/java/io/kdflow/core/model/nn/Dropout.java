package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;

/** Inverted dropout (scaled by 1/(1-p) at train time), active only in {@link RunMode#TRAINING}. */
public final class Dropout {

    private Dropout() {}

    public static NDArray apply(NDArray x, double rate, RunMode mode) {
        if (!mode.dropoutActive() || rate <= 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, (float) rate, true).singletonOrThrow();
    }
}
