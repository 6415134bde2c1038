package io.kdflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.safetensors.SafetensorsFile;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Load -> save writes the Hugging Face layout back exactly: every tensor's bytes, tied weights once. */
class SaveLoadRoundTripTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldSaveEveryTensorBitExactInTheTransformersLayout(String name) throws IOException {
        Path source = HfTiny.copyModel(name, temp);
        Path saved = temp.resolve("saved");
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(source, manager)) {
            ModelDirectoryWriter.save(model, saved, source);
        }

        try (SafetensorsFile original = SafetensorsFile.open(source.resolve("model.safetensors"));
                SafetensorsFile written = SafetensorsFile.open(saved.resolve("model.safetensors"))) {
            assertThat(written.names()).containsExactlyInAnyOrderElementsOf(original.names());
            for (String tensor : original.names()) {
                assertThat(written.entry(tensor).shape()).as(tensor).isEqualTo(original.entry(tensor).shape());
                assertThat(written.read(tensor)).as(tensor).isEqualTo(original.read(tensor));
            }
            assertThat(written.metadata()).containsEntry("format", "pt");
        }
        assertThat(Files.readAllBytes(saved.resolve("model.safetensors")))
                .as("same writer order and padding as transformers")
                .isEqualTo(Files.readAllBytes(source.resolve("model.safetensors")));
        assertThat(ModelConfigs.read(saved)).isEqualTo(ModelConfigs.read(source));
        assertThat(saved.resolve("tokenizer.json")).hasSameBinaryContentAs(source.resolve("tokenizer.json"));
        assertThat(saved.resolve("generation_config.json")).hasSameBinaryContentAs(source.resolve("generation_config.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldReloadASavedModelToTheSameWeights(String name) throws IOException {
        Path source = HfTiny.copyModel(name, temp);
        Path first = temp.resolve("first");
        Path second = temp.resolve("second");
        try (NDManager manager = NDManager.newBaseManager()) {
            try (PretrainedModel model = PretrainedModels.load(source, manager)) {
                ModelDirectoryWriter.save(model, first, null);
            }
            try (PretrainedModel reloaded = PretrainedModels.load(first, manager)) {
                ModelDirectoryWriter.save(reloaded, second, first);
            }
        }
        assertThat(second.resolve("model.safetensors")).hasSameBinaryContentAs(first.resolve("model.safetensors"));
        assertThat(Files.readString(first.resolve("generation_config.json"))).contains("\"eos_token_id\"");
        assertThat(Files.readString(first.resolve("config.json"))).contains("\"architectures\"");
    }
}
