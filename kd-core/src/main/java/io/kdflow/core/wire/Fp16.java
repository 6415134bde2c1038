package io.kdflow.core.wire;

/**
 * IEEE 754 binary16 ("half") conversion: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits. Java 17
 * has no {@code Float.floatToFloat16}, so this is written out; {@link #fromFloat} rounds to nearest, ties
 * to even, like the hardware conversion.
 */
public final class Fp16 {

    /** Largest finite half value. */
    public static final float MAX_VALUE = 65504f;
    /** Smallest positive normal half value, 2^-14. */
    public static final float MIN_NORMAL = 0x1p-14f;
    /** Smallest positive subnormal half value, 2^-24. */
    public static final float MIN_VALUE = 0x1p-24f;

    private static final int FLOAT_EXPONENT_BIAS = 127;
    private static final int HALF_EXPONENT_BIAS = 15;
    private static final int HALF_EXPONENT_MAX = 0x1F;
    private static final int HALF_INFINITY = 0x7C00;
    private static final int HALF_QUIET_NAN = 0x7E00;
    /** Float mantissa bits that do not fit into the half mantissa. */
    private static final int DROPPED_BITS = 13;

    private Fp16() {
    }

    /** The half bit pattern nearest to {@code value}; overflow gives infinity, NaN stays NaN. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int floatExponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7F_FFFF;
        if (floatExponent == 0xFF) {
            return (short) (mantissa == 0 ? sign | HALF_INFINITY : sign | HALF_QUIET_NAN | (mantissa >>> DROPPED_BITS));
        }
        int exponent = floatExponent - FLOAT_EXPONENT_BIAS + HALF_EXPONENT_BIAS;
        if (exponent >= HALF_EXPONENT_MAX) {
            return (short) (sign | HALF_INFINITY);
        }
        if (exponent <= 0) {
            return (short) (sign | subnormalMagnitude(exponent, mantissa));
        }
        int half = (exponent << 10) | (mantissa >>> DROPPED_BITS);
        // A carry out of the mantissa correctly bumps the exponent (and turns 65520 and up into infinity).
        return (short) (sign | roundHalfEven(half, mantissa & ((1 << DROPPED_BITS) - 1), 1 << (DROPPED_BITS - 1)));
    }

    /** The exact float value of the half bit pattern {@code half}. */
    public static float toFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & HALF_EXPONENT_MAX;
        int mantissa = bits & 0x3FF;
        if (exponent == HALF_EXPONENT_MAX) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << DROPPED_BITS));
        }
        if (exponent == 0) {
            float magnitude = mantissa * MIN_VALUE; // exact: at most 10 significant bits
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(
                sign | ((exponent - HALF_EXPONENT_BIAS + FLOAT_EXPONENT_BIAS) << 23) | (mantissa << DROPPED_BITS));
    }

    /** Half magnitude (count of 2^-24 units) of a float whose half exponent would be {@code exponent} <= 0. */
    private static int subnormalMagnitude(int exponent, int floatMantissa) {
        // Below half of the smallest subnormal (and float zero/subnormals): rounds to zero.
        if (exponent < -10) {
            return 0;
        }
        int significand = floatMantissa | 0x80_0000; // 24-bit significand with the implicit leading 1
        int shift = 14 - exponent; // value = significand * 2^(exponent - 14) units of 2^-24
        int kept = significand >>> shift;
        // A carry into bit 10 yields the smallest normal, which is the right answer.
        return roundHalfEven(kept, significand & ((1 << shift) - 1), 1 << (shift - 1));
    }

    private static int roundHalfEven(int kept, int remainder, int halfway) {
        if (remainder > halfway || (remainder == halfway && (kept & 1) == 1)) {
            return kept + 1;
        }
        return kept;
    }
}
