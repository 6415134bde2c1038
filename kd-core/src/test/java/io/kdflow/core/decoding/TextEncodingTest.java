package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sources, targets and prompts encode to exactly the ids the fixtures were made with. */
class TextEncodingTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldEncodeSourcesAndTargetsLikeTheReferenceBatch(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        ModelConfig config = ModelConfigs.read(dir);
        JsonNode texts = HfGoldens.model(name).get("test_texts");
        try (NDManager manager = NDManager.newBaseManager(); HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            TextEncoding encoding = new TextEncoding(tokenizer, config);
            List<GenerationInput> sources = HfGoldens.sources(dir, manager);
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            long[] labels = ref.get("labels").toLongArray();
            int width = (int) ref.get("labels").getShape().get(1);
            for (int i = 0; i < 3; i++) {
                String text = texts.get(i).textValue();
                long[] expectedTarget = Arrays.stream(labels, i * width, (i + 1) * width).filter(id -> id != -100).toArray();
                assertThat(encoding.source(text)).containsExactly(sources.get(i).tokenIds());
                assertThat(encoding.target(text)).containsExactly(expectedTarget);
                assertThat(encoding.decode(expectedTarget)).isEqualTo(text);
            }
        }
    }

    @Test
    void shouldEncodeDecoderOnlyPromptsPlainAndTargetsWithEos() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        ModelConfig config = ModelConfigs.read(dir);
        JsonNode prompts = HfGoldens.model(HfTiny.GPT2).get("prompts");
        try (NDManager manager = NDManager.newBaseManager(); HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            TextEncoding encoding = new TextEncoding(tokenizer, config);
            List<GenerationInput> expected = HfGoldens.prompts(dir, manager);
            for (int i = 0; i < 3; i++) {
                long[] source = encoding.source(prompts.get(i).textValue());
                assertThat(source).containsExactly(expected.get(i).tokenIds());
                long[] target = encoding.target(prompts.get(i).textValue());
                assertThat(Arrays.copyOf(target, source.length)).containsExactly(source);
                assertThat(target).hasSize(source.length + 1).endsWith(0L);
            }
        }
    }
}
