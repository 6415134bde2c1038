package io.kdflow.core.model.weights;

import io.kdflow.core.safetensors.SafetensorsDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Widens F16, BF16 and F64 checkpoint data to float32 in Java. (Handing bfloat16 bytes to DJL's
 * array-from-buffer call aborts the JVM inside libtorch, so conversions never go through it.)
 */
public final class FloatConversion {

    private FloatConversion() {}

    /** Little-endian float32 bytes for little-endian {@code dtype} data. */
    public static ByteBuffer toFloat32(SafetensorsDtype dtype, ByteBuffer data) {
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == SafetensorsDtype.F32) {
            return in;
        }
        int count = in.remaining() / dtype.byteSize();
        ByteBuffer out = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            out.putFloat(switch (dtype) {
                case F16 -> halfToFloat(in.getShort());
                case BF16 -> Float.intBitsToFloat((in.getShort() & 0xffff) << 16);
                case F64 -> (float) in.getDouble();
                default -> throw new IllegalArgumentException(dtype + " is not a floating-point type");
            });
        }
        return out.flip();
    }

    /** IEEE 754 binary16 to float (exact: every half value is a float). */
    public static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // zero or subnormal
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // inf or NaN
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
