package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;

/**
 * Direct access to the memory of float32 CPU arrays, so that element-wise optimizer arithmetic runs in
 * one Java pass instead of a dozen libtorch passes. DJL hands out a buffer over the tensor's own memory
 * when the tensor is contiguous, and over a temporary copy otherwise: reading through it is always
 * right, writing is only right for arrays checked with {@link #requireWritable}.
 */
final class HostFloats {

    private HostFloats() {}

    /** The array's float32 elements in row-major order. */
    static FloatBuffer of(NDArray array) {
        return array.toByteBuffer(true).asFloatBuffer();
    }

    /**
     * Fails unless writes through {@link #of} reach {@code array} itself (float32, CPU, contiguous).
     * Checked by writing the first element through the buffer and reading it back through the engine.
     */
    static void requireWritable(NDArray array, String name) {
        if (array.getDataType() != DataType.FLOAT32 || !ai.djl.Device.cpu().equals(array.getDevice())) {
            throw new IllegalArgumentException("parameter '" + name + "' must be float32 on the CPU, got "
                    + array.getDataType() + " on " + array.getDevice());
        }
        if (array.size() == 0) {
            return;
        }
        FloatBuffer buffer = of(array);
        float original = buffer.get(0);
        float probe = original == 1f ? 2f : 1f;
        buffer.put(0, probe);
        boolean aliased;
        try (NDArray flat = array.flatten(); NDArray first = flat.get(0)) {
            aliased = first.getFloat() == probe;
        }
        buffer.put(0, original);
        if (!aliased) {
            throw new IllegalArgumentException("parameter '" + name + "' is not a contiguous array in memory");
        }
    }
}
