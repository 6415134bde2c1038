package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerationSettingsTest {

    @TempDir
    Path temp;

    @Test
    void shouldTakeTransformersDefaultsFromAGenerationConfigWithoutDecodingKeys() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        ModelConfig model = ModelConfigs.read(dir);

        GenerationSettings settings = GenerationSettings.defaults(GenerationConfig.readOrDefault(dir, model));

        assertThat(settings).isEqualTo(new GenerationSettings(19, 0, 1, 1.0, EarlyStopping.FALSE, 1, false, 1.0, 50, 1.0,
                0L, 1, 0));
        assertThat(settings.mode()).isEqualTo(GenerationSettings.Mode.GREEDY);
    }

    @Test
    void shouldReadDecodingKeysOfAGenerationConfig() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        Files.writeString(dir.resolve("generation_config.json"), """
                {"max_new_tokens": 40, "min_length": 5, "do_sample": true, "num_return_sequences": 3,
                 "temperature": 1.5, "top_k": 0, "top_p": 0.95, "early_stopping": "never"}""");

        GenerationSettings settings = GenerationSettings.defaults(GenerationConfig.readOrDefault(dir, ModelConfigs.read(dir)));

        assertThat(settings.maxNewTokens()).isEqualTo(40);
        assertThat(settings.minNewTokens()).isEqualTo(4);
        assertThat(settings.mode()).isEqualTo(GenerationSettings.Mode.SAMPLING);
        assertThat(settings.numSamples()).as("num_return_sequences are samples").isEqualTo(3);
        assertThat(settings.numReturnSequences()).isEqualTo(1);
        assertThat(settings.sequencesPerInput()).isEqualTo(3);
        assertThat(settings.temperature()).isEqualTo(1.5);
        assertThat(settings.topK()).isZero();
        assertThat(settings.topP()).isEqualTo(0.95);
        assertThat(settings.earlyStopping()).isEqualTo(EarlyStopping.NEVER);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxNewTokens=0 | max_new_tokens must be >= 1, got 0",
        "minNewTokens=9 | min_new_tokens must be in [0, max_new_tokens=8], got 9",
        "numBeams=0 | num_beams must be >= 1, got 0",
        "numReturnSequences=2 | num_return_sequences (2) must be <= num_beams (1)",
        "sampleWithBeams | sampling with num_beams > 1 (beam sampling) is not supported",
        "temperature=0 | temperature must be > 0, got 0.0",
        "topK=-1 | top_k must be >= 0 (0 = no top-k), got -1",
        "topP=0 | top_p must be in (0, 1], got 0.0",
        "topP=1.5 | top_p must be in (0, 1], got 1.5",
        "numSamples=2 | num_samples = 2 needs do_sample",
        "logProbTopK=-3 | log-prob top-k must be >= 0 (0 = none), got -3",
        "lengthPenalty=NaN | length_penalty must be finite, got NaN"})
    void shouldRejectBadSettingsNamingThem(String change, String message) {
        UnaryOperator<GenerationSettings.Builder> edit = switch (change) {
            case "maxNewTokens=0" -> b -> b.maxNewTokens(0);
            case "minNewTokens=9" -> b -> b.minNewTokens(9);
            case "numBeams=0" -> b -> b.numBeams(0);
            case "numReturnSequences=2" -> b -> b.numReturnSequences(2);
            case "sampleWithBeams" -> b -> b.doSample(true).numBeams(2);
            case "temperature=0" -> b -> b.temperature(0);
            case "topK=-1" -> b -> b.topK(-1);
            case "topP=0" -> b -> b.topP(0);
            case "topP=1.5" -> b -> b.topP(1.5);
            case "numSamples=2" -> b -> b.numSamples(2);
            case "logProbTopK=-3" -> b -> b.logProbTopK(-3);
            case "lengthPenalty=NaN" -> b -> b.lengthPenalty(Double.NaN);
            default -> throw new IllegalArgumentException(change);
        };
        GenerationSettings.Builder builder = edit.apply(GenerationSettings.greedy(8).toBuilder());
        assertThatThrownBy(builder::build).isInstanceOf(BadInputException.class).hasMessage(message);
    }
}
