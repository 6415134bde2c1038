package io.kdflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.weights.FloatConversion;
import io.kdflow.core.safetensors.SafetensorsDtype;
import io.kdflow.core.safetensors.SafetensorsFile;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A model saved in float16 (for shipping): every tensor F16, each weight the nearest half, and it loads back. */
class HalfPrecisionSaveTest {

    /** Half of float16's unit in the last place, relative: the most round-to-nearest may move a normal value. */
    private static final double HALF_ULP = Math.pow(2, -11);
    /** Below float16's smallest normal, spacing is absolute. */
    private static final double SUBNORMAL_SPACING = Math.pow(2, -24);

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.GPT2})
    void shouldWriteEveryWeightAsItsNearestHalfAndLoadItBack(String name) throws IOException {
        Path source = HfTiny.copyModel(name, temp);
        Path saved = temp.resolve("half");
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(source, manager)) {
            ModelDirectoryWriter.save(model, saved, source, WeightPrecision.FP16);
        }

        try (SafetensorsFile original = SafetensorsFile.open(source.resolve("model.safetensors"));
                SafetensorsFile half = SafetensorsFile.open(saved.resolve("model.safetensors"))) {
            assertThat(half.names()).containsExactlyInAnyOrderElementsOf(original.names());
            for (String tensor : original.names()) {
                assertThat(half.entry(tensor).dtype()).as(tensor).isEqualTo(SafetensorsDtype.F16);
                assertThat(half.entry(tensor).shape()).as(tensor).isEqualTo(original.entry(tensor).shape());
                float[] exact = floats(original.entry(tensor).dtype(), original.read(tensor));
                float[] rounded = floats(SafetensorsDtype.F16, half.read(tensor));
                for (int i = 0; i < exact.length; i++) {
                    double bound = Math.max(Math.abs(exact[i]) * HALF_ULP, SUBNORMAL_SPACING / 2);
                    assertThat((double) Math.abs(rounded[i] - exact[i])).as("%s[%d] = %s", tensor, i, exact[i])
                            .isLessThanOrEqualTo(bound);
                }
            }
        }
        assertThat(Files.size(saved.resolve("model.safetensors")))
                .isLessThan(Files.size(source.resolve("model.safetensors")) * 6 / 10);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel reloaded = PretrainedModels.load(saved, manager)) {
            assertThat(reloaded.config()).isEqualTo(ModelConfigs.read(source));
        }
    }

    private static float[] floats(SafetensorsDtype dtype, ByteBuffer data) {
        FloatBuffer buffer = FloatConversion.toFloat32(dtype, data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
