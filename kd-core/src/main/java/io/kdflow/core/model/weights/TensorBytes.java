package io.kdflow.core.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.kdflow.core.safetensors.SafetensorsDtype;
import io.kdflow.core.safetensors.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A libtorch array as safetensors data (little-endian bytes): how weights and optimizer moments leave libtorch
 * for a checkpoint file. DJL hands over a heap copy in the machine's byte order, which on little-endian machines
 * is already the file's layout, so no second copy is made there.
 */
public final class TensorBytes {

    private TensorBytes() {}

    /** A float32 array, as is. */
    public static TensorData float32(NDArray array) {
        requireFloat32(array);
        return new TensorData(SafetensorsDtype.F32, array.getShape().getShape(),
                littleEndian(array.toByteBuffer(), Float.BYTES));
    }

    /** A float32 array rounded to float16 in libtorch (to the nearest, ties to even, as PyTorch's {@code .half()}). */
    public static TensorData float16(NDArray array) {
        requireFloat32(array);
        try (NDArray half = array.toType(DataType.FLOAT16, true)) {
            return new TensorData(SafetensorsDtype.F16, array.getShape().getShape(),
                    littleEndian(half.toByteBuffer(), Short.BYTES));
        }
    }

    private static void requireFloat32(NDArray array) {
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("only float32 arrays are written, got " + array.getDataType());
        }
    }

    private static ByteBuffer littleEndian(ByteBuffer nativeOrder, int width) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            return nativeOrder.order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer out = ByteBuffer.allocate(nativeOrder.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        if (width == Float.BYTES) {
            out.asFloatBuffer().put(nativeOrder.asFloatBuffer());
        } else {
            out.asShortBuffer().put(nativeOrder.asShortBuffer());
        }
        return out;
    }
}
