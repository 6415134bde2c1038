package io.kdflow.core.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.safetensors.SafetensorsDtype;
import io.kdflow.core.safetensors.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Arrays leave libtorch as the little-endian bytes safetensors stores, with their shape. */
class TensorBytesTest {

    @Test
    void shouldWriteFloat32AsLittleEndianBytesWithTheShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray array = manager.create(new float[] {1.5f, -2.25f, 0f, 3e-7f, 1e30f, -0f}, new Shape(2, 3));

            TensorData data = TensorBytes.float32(array);

            assertThat(data.dtype()).isEqualTo(SafetensorsDtype.F32);
            assertThat(data.shape()).containsExactly(2, 3);
            ByteBuffer expected = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : new float[] {1.5f, -2.25f, 0f, 3e-7f, 1e30f, -0f}) {
                expected.putFloat(value);
            }
            assertThat(bytes(data)).containsExactly(expected.array());
        }
    }

    @Test
    void shouldRoundToFloat16LikePyTorchHalf() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): the tie goes to the even 1.0;
            // 1 + 1.5 * 2^-11 is nearer 1 + 2^-10; 65504 is the largest half; 1e6 overflows to infinity
            NDArray array = manager.create(new float[] {1f, -2f, 65504f, 1f + 0x1p-11f, 1f + 0x1.8p-11f, 1e6f});

            TensorData data = TensorBytes.float16(array);

            assertThat(data.dtype()).isEqualTo(SafetensorsDtype.F16);
            assertThat(data.shape()).containsExactly(6);
            short[] halves = new short[6];
            data.data().asShortBuffer().get(halves);
            assertThat(halves).containsExactly((short) 0x3C00, (short) 0xC000, (short) 0x7BFF, (short) 0x3C00,
                    (short) 0x3C01, (short) 0x7C00);
        }
    }

    @Test
    void shouldRefuseOtherTypesNamingThem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ids = manager.create(new long[] {1, 2});

            assertThatThrownBy(() -> TensorBytes.float32(ids))
                    .hasMessage("only float32 arrays are written, got int64");
            assertThatThrownBy(() -> TensorBytes.float16(ids))
                    .hasMessage("only float32 arrays are written, got int64");
        }
    }

    private static byte[] bytes(TensorData data) {
        ByteBuffer buffer = data.data();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
