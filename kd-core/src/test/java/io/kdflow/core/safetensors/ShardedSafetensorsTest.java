package io.kdflow.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedSafetensorsTest {

    @TempDir
    Path temp;

    private Path single;
    private Path sharded;
    private final Map<String, String> weightMap = new LinkedHashMap<>();

    @BeforeEach
    void splitTheBartCheckpointIntoTwoShards() throws IOException {
        single = HfTiny.copyModel(HfTiny.BART, temp).resolve("model.safetensors");
        sharded = Files.createDirectories(temp.resolve("sharded"));
        Map<String, TensorData> first = new LinkedHashMap<>();
        Map<String, TensorData> second = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(single)) {
            List<String> names = new ArrayList<>(file.names());
            for (int i = 0; i < names.size(); i++) {
                TensorEntry entry = file.entry(names.get(i));
                TensorData data = new TensorData(entry.dtype(), entry.shape(), file.read(entry.name()));
                boolean inFirst = i < names.size() / 2;
                (inFirst ? first : second).put(entry.name(), data);
                weightMap.put(entry.name(), inFirst ? "model-00001-of-00002.safetensors"
                        : "model-00002-of-00002.safetensors");
            }
        }
        SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), first, SafetensorsWriter.PYTORCH_METADATA);
        SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), second, SafetensorsWriter.PYTORCH_METADATA);
    }

    @Test
    void shouldServeEveryTensorOfTheShardsLikeTheSingleFile() throws IOException {
        writeIndex(weightMap);

        try (TensorSource shards = Checkpoints.open(sharded); TensorSource whole = SafetensorsFile.open(single)) {
            assertThat(shards).isInstanceOf(ShardedSafetensors.class);
            assertThat(shards.names()).containsExactlyInAnyOrderElementsOf(whole.names());
            for (String name : whole.names()) {
                assertThat(shards.entry(name).shape()).isEqualTo(whole.entry(name).shape());
                assertThat(shards.read(name)).isEqualTo(whole.read(name));
            }
            assertThat(shards.location("model.shared.weight")).endsWith("model-00002-of-00002.safetensors");
            assertThat(shards.metadata()).containsEntry("format", "pt");
        }
    }

    @Test
    void shouldRejectShardNamesOutsideTheDirectory() throws IOException {
        Map<String, String> escaping = new LinkedHashMap<>(weightMap);
        escaping.put("model.shared.weight", "../bart-tiny/model.safetensors");
        writeIndex(escaping);

        assertThatThrownBy(() -> Checkpoints.open(sharded))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("model.safetensors.index.json")
                .hasMessageContaining("not a plain file name inside the checkpoint directory");
    }

    @Test
    void shouldRejectIndexPointingAtTheWrongShard() throws IOException {
        Map<String, String> wrong = new LinkedHashMap<>(weightMap);
        wrong.put("model.shared.weight", "model-00001-of-00002.safetensors");
        writeIndex(wrong);

        assertThatThrownBy(() -> Checkpoints.open(sharded))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("tensor 'model.shared.weight'")
                .hasMessageContaining("that shard has no such tensor");
    }

    @Test
    void shouldRejectMissingShardAndMalformedIndex() throws IOException {
        Map<String, String> missing = new LinkedHashMap<>(weightMap);
        missing.put("model.shared.weight", "model-00003-of-00003.safetensors");
        writeIndex(missing);
        assertThatThrownBy(() -> Checkpoints.open(sharded))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("shard 'model-00003-of-00003.safetensors' does not exist");

        Files.writeString(sharded.resolve(Checkpoints.SHARD_INDEX), "{\"weight_map\": [1]}");
        assertThatThrownBy(() -> Checkpoints.open(sharded))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("missing or empty 'weight_map'");
    }

    @Test
    void shouldSayWhatIsMissingInADirectoryWithoutWeights() {
        assertThatThrownBy(() -> Checkpoints.open(temp))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no model.safetensors or model.safetensors.index.json");
    }

    private void writeIndex(Map<String, String> map) throws IOException {
        StringBuilder json = new StringBuilder("{\"metadata\": {\"total_size\": 1295200}, \"weight_map\": {");
        String separator = "";
        for (Map.Entry<String, String> entry : map.entrySet()) {
            json.append(separator).append('"').append(entry.getKey()).append("\": \"").append(entry.getValue()).append('"');
            separator = ", ";
        }
        Files.writeString(sharded.resolve(Checkpoints.SHARD_INDEX), json.append("}}").toString());
    }
}
