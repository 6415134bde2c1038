package io.kdflow.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recipe settings: canonical names, overrides by name, and the messages of bad values. */
class TeacherRecipeTest {

    @Test
    void shouldOverrideSettingsByTheirCanonicalNames() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("d_model", "128");
        overrides.put("denoising_epochs", "0");
        overrides.put("learning_rate", "5e-4");
        overrides.put("dev_selection", "false");
        overrides.put("seed", "9");

        TeacherRecipe recipe = TeacherRecipe.withOverrides(TeacherRecipe.shakespeare(), overrides);

        assertThat(recipe.shape().dModel()).isEqualTo(128);
        assertThat(recipe.denoisingEpochs()).isZero();
        assertThat(recipe.learningRate()).isEqualTo(5e-4);
        assertThat(recipe.devSelection()).isFalse();
        assertThat(recipe.seed()).isEqualTo(9);
        assertThat(recipe.vocabSize()).isEqualTo(TeacherRecipe.shakespeare().vocabSize());
        assertThat(TeacherRecipe.withOverrides(recipe, Map.of())).isEqualTo(recipe);
        assertThat(recipe.canonical()).containsEntry("d_model", 128).containsEntry("mask_ratio", 0.3);
    }

    @Test
    void shouldRejectUnknownNamesAndBadValues() {
        TeacherRecipe base = TeacherRecipe.shakespeare();
        assertThatThrownBy(() -> TeacherRecipe.withOverrides(base, Map.of("depth", "3")))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("teacher option depth: unknown; known options are [vocab_size, d_model,");
        assertThatThrownBy(() -> TeacherRecipe.withOverrides(base, Map.of("batch_size", "many")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("teacher option batch_size: \"many\" is not an integer");
        assertThatThrownBy(() -> TeacherRecipe.withOverrides(base, Map.of("dev_selection", "yes")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("teacher option dev_selection: \"yes\" is not true or false");
        assertThatThrownBy(() -> TeacherRecipe.withOverrides(base, Map.of("heads", "3")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("teacher option d_model/heads: d_model 256 must be a positive multiple of heads 3");
        assertThatThrownBy(() -> TeacherRecipe.withOverrides(base, Map.of("max_tokens", "100")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("teacher option max_tokens: 100 (denoising 48/48) exceeds max_positions 64");
        assertThatThrownBy(() -> TeacherRecipe.withOverrides(base, Map.of("vocab_size", "100")))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("teacher option vocab_size: 100 is too small");
    }
}
