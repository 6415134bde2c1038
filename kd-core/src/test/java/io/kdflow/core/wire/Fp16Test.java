package io.kdflow.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Fp16Test {

    @ParameterizedTest(name = "{0} <-> 0x{1}")
    @CsvSource({
        "0.0, 0000",
        "-0.0, 8000",
        "1.0, 3c00",
        "-2.5, c100",
        "0.5, 3800",
        "65504.0, 7bff",
        "-65504.0, fbff",
        "6.103515625E-5, 0400",     // smallest normal, 2^-14
        "6.097555160522461E-5, 03ff", // largest subnormal, 1023 * 2^-24
        "5.960464477539063E-8, 0001", // smallest subnormal, 2^-24
        "0.333251953125, 3555",
        "Infinity, 7c00",
        "-Infinity, fc00",
    })
    void shouldConvertKnownValuesExactlyBothWays(float value, String hex) {
        short half = (short) Integer.parseInt(hex, 16);

        assertThat(Fp16.fromFloat(value)).isEqualTo(half);
        assertThat(Float.floatToRawIntBits(Fp16.toFloat(half))).isEqualTo(Float.floatToRawIntBits(value));
    }

    @ParameterizedTest(name = "{0} -> 0x{1}")
    @CsvSource({
        // 1 + 2^-11 is halfway between 1 and the next half 1 + 2^-10: ties to the even mantissa (1.0).
        "1.00048828125, 3c00",
        // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even): rounds up.
        "1.00146484375, 3c02",
        // Just above the first tie: rounds up.
        "1.0004884, 3c01",
        // 65520 is halfway between 65504 and 2^16 (out of range): ties to even, i.e. overflows to infinity.
        "65520.0, 7c00",
        "65519.996, 7bff",
        // Half of the smallest subnormal ties to zero (even); anything above rounds to 2^-24.
        "2.9802322387695312E-8, 0000",
        "2.9802326E-8, 0001",
        // 1.5 * 2^-24 ties to the even subnormal 2 * 2^-24.
        "8.940696716308594E-8, 0002",
        // Rounding the largest subnormal up carries into the smallest normal.
        "6.1005353927612305E-5, 0400",
        "1.0E-10, 0000",
        "-1.0E-10, 8000",
        "1.0E10, 7c00",
    })
    void shouldRoundToNearestEven(float value, String hex) {
        assertThat(Fp16.fromFloat(value)).isEqualTo((short) Integer.parseInt(hex, 16));
    }

    @Test
    void shouldMapNaNToNaN() {
        assertThat(Float.isNaN(Fp16.toFloat(Fp16.fromFloat(Float.NaN)))).isTrue();
        assertThat(Float.isNaN(Fp16.toFloat((short) 0x7c01))).isTrue();
    }

    @Test
    void shouldRoundTripEveryNonNaNHalfValue() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            short half = (short) bits;
            float value = Fp16.toFloat(half);
            if (!Float.isNaN(value)) {
                assertThat(Fp16.fromFloat(value)).as("half 0x%04x", bits).isEqualTo(half);
            }
        }
    }

    /** Against a brute-force reference: the nearest half by exact double arithmetic, ties to even. */
    @Test
    void shouldMatchTheNearestHalfForRandomFloats() {
        Random random = new Random(20251127);
        for (int i = 0; i < 200_000; i++) {
            float value = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(value) || Math.abs(value) > 70_000f) {
                continue;
            }
            assertThat(Fp16.fromFloat(value)).as("%s", value).isEqualTo(nearestHalf(value));
        }
    }

    private static short nearestHalf(float value) {
        double target = Math.abs((double) value);
        int sign = Float.floatToRawIntBits(value) < 0 ? 0x8000 : 0;
        // Positive halves are ordered by their bit patterns 0x0000..0x7c00 (infinity).
        int low = 0;
        int high = 0x7c00;
        while (high - low > 1) {
            int middle = (low + high) >>> 1;
            if (Fp16.toFloat((short) middle) <= target) {
                low = middle;
            } else {
                high = middle;
            }
        }
        double lowValue = Fp16.toFloat((short) low);
        // The value past 65504 that "infinity" stands for when rounding: 2^16.
        double highValue = high == 0x7c00 ? 65536.0 : Fp16.toFloat((short) high);
        int nearest;
        if (target - lowValue < highValue - target) {
            nearest = low;
        } else if (target - lowValue > highValue - target) {
            nearest = high;
        } else {
            nearest = (low & 1) == 0 ? low : high;
        }
        return (short) (sign | nearest);
    }
}
