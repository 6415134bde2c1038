package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;

/** Memory-layout helpers DJL does not offer directly. */
public final class Tensors {

    private Tensors() {}

    /**
     * The same values laid out contiguously: flattening a strided view copies it (a contiguous array is
     * returned as a view of itself), and the reshape back is then always a view. The result lives in
     * {@code x}'s manager.
     */
    public static NDArray contiguous(NDArray x) {
        return x.flatten().reshape(x.getShape());
    }
}
