package io.kdflow.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafetensorsRoundTripTest {

    @TempDir
    Path temp;

    @Test
    void shouldReadTransformersWrittenFileWithHeaderDetails() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            assertThat(file.metadata()).containsExactly(Map.entry("format", "pt"));
            assertThat(file.names()).hasSize(144).contains("model.shared.weight", "final_logits_bias");
            TensorEntry shared = file.entry("model.shared.weight");
            assertThat(shared.dtype()).isEqualTo(SafetensorsDtype.F32);
            assertThat(shared.shape()).containsExactly(600, 64);
            ByteBuffer bias = file.read("final_logits_bias");
            assertThat(bias.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(bias.remaining()).isEqualTo(600 * 4);
        }
    }

    @ParameterizedTest
    @CsvSource({"bart-tiny,model.safetensors", "t5-tiny,model.safetensors", "gpt2-tiny,model.safetensors",
        "bart-tiny,reference.safetensors", "gpt2-tiny,reference.safetensors"})
    void shouldRewriteTransformersFilesByteForByte(String model, String fileName) throws IOException {
        Path dir = HfTiny.copyModel(model, temp);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, String> metadata;
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(fileName))) {
            metadata = file.metadata();
            // Insert in reverse order: the writer must impose the reference order itself.
            List<String> names = new ArrayList<>(file.names());
            Collections.reverse(names);
            for (String name : names) {
                TensorEntry entry = file.entry(name);
                tensors.put(name, new TensorData(entry.dtype(), entry.shape(), file.read(name)));
            }
        }
        Path copy = temp.resolve("copy.safetensors");
        SafetensorsWriter.write(copy, tensors, metadata);

        assertThat(Files.readAllBytes(copy)).isEqualTo(HfTiny.bytes(model, fileName));
    }

    @Test
    void shouldRoundTripEveryDtypeAndEmptyAndScalarTensors() throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (SafetensorsDtype dtype : SafetensorsDtype.values()) {
            byte[] bytes = new byte[3 * dtype.byteSize()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i * 37 + dtype.ordinal());
            }
            tensors.put("t_" + dtype.headerName(), new TensorData(dtype, new long[] {3}, ByteBuffer.wrap(bytes)));
        }
        tensors.put("empty", new TensorData(SafetensorsDtype.F32, new long[] {0, 5}, ByteBuffer.allocate(0)));
        tensors.put("scalar", TensorData.ofFloats(new long[] {}, new float[] {2.5f}));
        Path path = temp.resolve("all.safetensors");
        SafetensorsWriter.write(path, tensors, Map.of("note", "ünïcode"));

        byte[] written = Files.readAllBytes(path);
        long headerLength = ByteBuffer.wrap(written, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + headerLength) % 8).isZero();
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.metadata()).containsExactly(Map.entry("note", "ünïcode"));
            for (Map.Entry<String, TensorData> expected : tensors.entrySet()) {
                TensorEntry entry = file.entry(expected.getKey());
                assertThat(entry.dtype()).isEqualTo(expected.getValue().dtype());
                assertThat(entry.shape()).isEqualTo(expected.getValue().shape());
                assertThat(entry.begin() % entry.dtype().byteSize()).as("aligned").isZero();
                assertThat(file.read(expected.getKey())).isEqualTo(expected.getValue().data());
            }
        }
    }

    @Test
    void shouldRejectTensorDataWhoseBytesDoNotMatchTheShape() {
        assertThatThrownBy(() -> new TensorData(SafetensorsDtype.F32, new long[] {2, 3}, ByteBuffer.allocate(20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 24 bytes but 20");
    }
}
