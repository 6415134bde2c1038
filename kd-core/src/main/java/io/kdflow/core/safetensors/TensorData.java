package io.kdflow.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor to write: dtype, shape and its little-endian bytes (from the buffer's position to its
 * limit; the buffer itself is not consumed).
 */
public record TensorData(SafetensorsDtype dtype, long[] shape, ByteBuffer data) {

    public TensorData {
        shape = shape.clone();
        long expected = dtype.byteSize();
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            expected = Math.multiplyExact(expected, dim);
        }
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype.headerName()
                    + " needs " + expected + " bytes but " + data.remaining() + " were given");
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only view of the bytes, positioned at 0. */
    @Override
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Float32 tensor from Java floats. */
    public static TensorData ofFloats(long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new TensorData(SafetensorsDtype.F32, shape, buffer);
    }

    /** Int64 tensor from Java longs. */
    public static TensorData ofLongs(long[] shape, long[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return new TensorData(SafetensorsDtype.I64, shape, buffer);
    }
}
