package io.kdflow.core.model.weights;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.safetensors.SafetensorsDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FloatConversionTest {

    @Test
    void shouldWidenHalfPrecisionExactly() {
        assertThat(FloatConversion.halfToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(FloatConversion.halfToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(FloatConversion.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(FloatConversion.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(FloatConversion.halfToFloat((short) 0x8000)).isEqualTo(-0f);
        assertThat(FloatConversion.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FloatConversion.halfToFloat((short) 0x7E00)).isNaN();
        assertThat(FloatConversion.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
    }

    @Test
    void shouldWidenBfloat16AndNarrowFloat64() {
        ByteBuffer bf16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3F80)
                .putShort((short) 0xC0A0).flip();
        ByteBuffer f64 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).flip();

        ByteBuffer widened = FloatConversion.toFloat32(SafetensorsDtype.BF16, bf16);
        assertThat(widened.getFloat(0)).isEqualTo(1f);
        assertThat(widened.getFloat(4)).isEqualTo(-5f);
        assertThat(FloatConversion.toFloat32(SafetensorsDtype.F64, f64).getFloat(0)).isEqualTo(0.1f);
    }
}
