package io.kdflow.core.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelConfigTest {

    @TempDir
    Path temp;

    @Test
    void shouldReadEveryBartDetail() throws IOException {
        BartConfig bart = (BartConfig) ModelConfigs.read(HfTiny.copyModel(HfTiny.BART, temp));

        assertThat(bart.vocabSize()).isEqualTo(600);
        assertThat(bart.dModel()).isEqualTo(64);
        assertThat(bart.encoderLayers()).isEqualTo(2);
        assertThat(bart.decoderLayers()).isEqualTo(4);
        assertThat(bart.encoderAttentionHeads()).isEqualTo(4);
        assertThat(bart.decoderFfnDim()).isEqualTo(128);
        assertThat(bart.activation()).isEqualTo(ActivationFunction.GELU);
        assertThat(bart.scaleEmbedding()).isFalse();
        assertThat(bart.embedScale()).isEqualTo(1f);
        assertThat(bart.maxPositionEmbeddings()).isEqualTo(128);
        assertThat(bart.tieWordEmbeddings()).isTrue();
        assertThat(bart.dropout()).isZero();
        assertThat(bart.initStd()).isEqualTo(0.02);
        assertThat(bart.specialTokens()).isEqualTo(new SpecialTokens(1, 0, List.of(2), 2));
        assertThat(bart.encoderDecoder()).isTrue();
    }

    @Test
    void shouldReadEveryT5Detail() throws IOException {
        T5Config t5 = (T5Config) ModelConfigs.read(HfTiny.copyModel(HfTiny.T5, temp).resolve("config.json"));

        assertThat(t5.dModel()).isEqualTo(64);
        assertThat(t5.dKv()).isEqualTo(16);
        assertThat(t5.innerDim()).isEqualTo(64);
        assertThat(t5.dFf()).isEqualTo(128);
        assertThat(t5.numLayers()).isEqualTo(4);
        assertThat(t5.numDecoderLayers()).isEqualTo(4);
        assertThat(t5.numHeads()).isEqualTo(4);
        assertThat(t5.relativeAttentionNumBuckets()).isEqualTo(32);
        assertThat(t5.relativeAttentionMaxDistance()).isEqualTo(128);
        assertThat(t5.activation()).isEqualTo(ActivationFunction.RELU);
        assertThat(t5.gatedActivation()).isFalse();
        assertThat(t5.layerNormEpsilon()).isEqualTo(1e-6);
        assertThat(t5.tieWordEmbeddings()).isTrue();
        assertThat(t5.scaleDecoderOutputs()).isTrue();
        assertThat(t5.specialTokens()).isEqualTo(new SpecialTokens(0, null, List.of(1), 0));
    }

    @Test
    void shouldReadEveryGpt2Detail() throws IOException {
        Gpt2Config gpt2 = (Gpt2Config) ModelConfigs.read(HfTiny.copyModel(HfTiny.GPT2, temp));

        assertThat(gpt2.nEmbd()).isEqualTo(64);
        assertThat(gpt2.nLayer()).isEqualTo(2);
        assertThat(gpt2.nHead()).isEqualTo(4);
        assertThat(gpt2.nPositions()).isEqualTo(128);
        assertThat(gpt2.nInner()).as("n_inner null means 4 * n_embd").isEqualTo(256);
        assertThat(gpt2.activation()).isEqualTo(ActivationFunction.GELU_TANH);
        assertThat(gpt2.layerNormEpsilon()).isEqualTo(1e-5);
        assertThat(gpt2.attnPdrop()).isEqualTo(0.1);
        assertThat(gpt2.encoderDecoder()).isFalse();
        assertThat(gpt2.specialTokens()).isEqualTo(new SpecialTokens(0, 0, List.of(0), null));
    }

    @Test
    void shouldMapT5GatedGeluToTheTanhApproximation() throws ModelConfigException {
        Map<String, Object> keys = t5Keys();
        keys.put("feed_forward_proj", "gated-gelu");
        keys.put("tie_word_embeddings", false);
        keys.remove("num_decoder_layers");

        T5Config t5 = (T5Config) ModelConfigs.parse(keys, "t5-v1_1.json");

        assertThat(t5.activation()).isEqualTo(ActivationFunction.GELU_TANH);
        assertThat(t5.gatedActivation()).isTrue();
        assertThat(t5.scaleDecoderOutputs()).isFalse();
        assertThat(t5.numDecoderLayers()).as("defaults to num_layers").isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "model_type|\"llama\"|key 'model_type': unsupported model type 'llama'",
        "d_model|null|key 'd_model': missing",
        "d_model|\"64\"|key 'd_model': expected an integer",
        "d_kv|0|key 'd_kv': must be > 0",
        "dropout_rate|1.5|key 'dropout_rate': must be in [0, 1)",
        "feed_forward_proj|\"gated-foo\"|key 'feed_forward_proj': unsupported activation 'foo'",
        "feed_forward_proj|\"a-b-c\"|key 'feed_forward_proj': 'a-b-c' is not of the form",
        "dense_act_fn|\"gelu\"|key 'dense_act_fn': 'gelu' contradicts",
        "eos_token_id|-1|key 'eos_token_id': token id must be >= 0",
        "relative_attention_num_buckets|0|key 'relative_attention_num_buckets': must be > 0"})
    void shouldNameFileAndKeyOfBadT5Values(String key, String jsonValue, String message) throws IOException {
        Map<String, Object> keys = t5Keys();
        ObjectNode json = ConfigJsonWriter.fromMap(keys);
        json.set(key, ConfigJson.MAPPER.readTree(jsonValue));
        Path file = temp.resolve("config.json");
        ConfigJsonWriter.write(json, file);

        assertThatThrownBy(() -> ModelConfigs.read(file))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"swiglu", "gelu_10"})
    void shouldRejectUnknownBartActivation(String activation) throws IOException {
        ObjectNode json = ModelConfigs.read(HfTiny.copyModel(HfTiny.BART, temp)).toJson();
        json.put("activation_function", activation);

        assertThatThrownBy(() -> ModelConfigs.parse(json, "bart.json"))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("bart.json: key 'activation_function': unsupported activation '" + activation + "'");
    }

    @Test
    void shouldRejectMalformedJsonAndGpt2CrossAttention() throws IOException {
        Path broken = temp.resolve("broken.json");
        Files.writeString(broken, "{\"model_type\": \"bart\",");
        assertThatThrownBy(() -> ModelConfigs.read(broken))
                .isInstanceOf(ModelConfigException.class)
                .hasMessageContaining("broken.json: not valid JSON");

        ObjectNode gpt2 = ModelConfigs.read(HfTiny.copyModel(HfTiny.GPT2, temp)).toJson();
        gpt2.put("add_cross_attention", true);
        assertThatThrownBy(() -> ModelConfigs.parse(gpt2, "gpt2.json"))
                .hasMessageContaining("key 'add_cross_attention'");
    }

    @Test
    void shouldWriteSortedConfigThatReadsBackEqualWithUnknownKeysKept() throws IOException {
        ModelConfig bart = ModelConfigs.read(HfTiny.copyModel(HfTiny.BART, temp));
        ModelConfig pruned = bart.withLayerCounts(2, 2);
        Path file = temp.resolve("written.json");

        ModelConfigs.write(pruned, file);
        ModelConfig reread = ModelConfigs.read(file);

        assertThat(reread).isEqualTo(pruned);
        assertThat(reread.decoderLayerCount()).isEqualTo(2);
        String text = Files.readString(file);
        assertThat(text).startsWith("{\n  \"activation_dropout\": 0.0,\n").endsWith("}\n");
        assertThat(text).contains("\"id2label\": {").contains("\"decoder_layers\": 2,");
    }

    @Test
    void shouldReadGenerationConfigWithModelFallbacks() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.T5, temp);
        ModelConfig t5 = ModelConfigs.read(dir);

        GenerationConfig generation = GenerationConfig.readOrDefault(dir, t5);

        assertThat(generation.decoderStartTokenId()).isZero();
        assertThat(generation.eosTokenIds()).containsExactly(1);
        assertThat(generation.padTokenId()).isZero();
        assertThat(generation.numBeams()).isEqualTo(1);
        assertThat(generation.maxLength()).isEqualTo(20);
        assertThat(generation.earlyStopping()).isEqualTo(GenerationConfig.EarlyStopping.FALSE);

        Files.writeString(dir.resolve(GenerationConfig.FILE_NAME),
                "{\"num_beams\": 4, \"early_stopping\": \"never\", \"eos_token_id\": [1, 5], \"top_p\": 0.9}");
        GenerationConfig custom = GenerationConfig.readOrDefault(dir, t5);
        assertThat(custom.numBeams()).isEqualTo(4);
        assertThat(custom.earlyStopping()).isEqualTo(GenerationConfig.EarlyStopping.NEVER);
        assertThat(custom.eosTokenIds()).containsExactly(1, 5);
        assertThat(custom.topP()).isEqualTo(0.9);

        Files.writeString(dir.resolve(GenerationConfig.FILE_NAME), "{\"top_p\": 0}");
        assertThatThrownBy(() -> GenerationConfig.readOrDefault(dir, t5))
                .hasMessageContaining("generation_config.json: key 'top_p': must be in (0, 1]");
    }

    private static Map<String, Object> t5Keys() {
        Map<String, Object> keys = new HashMap<>();
        keys.put("model_type", "t5");
        keys.put("vocab_size", 100);
        keys.put("d_model", 64);
        keys.put("d_kv", 16);
        keys.put("d_ff", 128);
        keys.put("num_layers", 3);
        keys.put("num_decoder_layers", 2);
        keys.put("num_heads", 4);
        return keys;
    }
}
