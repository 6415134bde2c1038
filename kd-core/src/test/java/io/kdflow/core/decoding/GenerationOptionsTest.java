package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options a user gives override the model's generation_config.json; the rest stays as the model asks. */
class GenerationOptionsTest {

    @TempDir
    Path temp;

    @Test
    void shouldKeepTheGenerationConfigDefaultsWhenNoOptionIsGiven() throws IOException {
        GenerationSettings defaults = beamDefaults();

        assertThat(GenerationOptions.none().applyTo(defaults)).isEqualTo(defaults);
        assertThat(defaults).isEqualTo(new GenerationSettings(30, 2, 4, 2.0, EarlyStopping.TRUE, 1, false, 1.0, 50, 1.0,
                0L, 1, 0));
    }

    @Test
    void shouldOverrideOnlyTheGivenOptions() throws IOException {
        GenerationOptions options = new GenerationOptions(12, null, null, 3, 0.5, EarlyStopping.NEVER, false, null,
                null, null, 7L);

        GenerationSettings settings = options.applyTo(beamDefaults());

        assertThat(settings).isEqualTo(new GenerationSettings(12, 2, 4, 0.5, EarlyStopping.NEVER, 3, false, 1.0, 50,
                1.0, 7L, 1, 0));
    }

    @Test
    void shouldSwitchABeamSearchModelToSamplingWithOneBeamAndCountReturnedSequencesAsSamples() throws IOException {
        GenerationOptions options = new GenerationOptions(null, null, null, 5, null, null, true, 10, 0.9, 0.7, null);

        GenerationSettings settings = options.applyTo(beamDefaults());

        assertThat(settings.mode()).isEqualTo(GenerationSettings.Mode.SAMPLING);
        assertThat(settings).isEqualTo(new GenerationSettings(30, 2, 1, 2.0, EarlyStopping.TRUE, 1, true, 0.7, 10, 0.9,
                0L, 5, 0));
    }

    @Test
    void shouldFailAsTheSettingsDoForAnImpossibleCombination() throws IOException {
        GenerationOptions options = new GenerationOptions(null, null, 2, 3, null, null, false, null, null, null, null);

        assertThatThrownBy(() -> options.applyTo(GenerationSettings.greedy(8)))
                .isInstanceOf(BadInputException.class)
                .hasMessage("num_return_sequences (3) must be <= num_beams (2)");
    }

    /** bart-tiny with a generation config that asks for beam search. */
    private GenerationSettings beamDefaults() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        Files.writeString(dir.resolve(GenerationConfig.FILE_NAME), """
                {"decoder_start_token_id": 2, "eos_token_id": 2, "pad_token_id": 1, "max_length": 31, "min_length": 3,
                 "num_beams": 4, "length_penalty": 2.0, "early_stopping": true}
                """);
        return GenerationSettings.defaults(GenerationConfig.readOrDefault(dir, ModelConfigs.read(dir)));
    }
}
