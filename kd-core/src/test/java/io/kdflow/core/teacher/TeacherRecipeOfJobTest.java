package io.kdflow.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.pretrain.DenoisingSettings;
import io.kdflow.core.train.EpochBatches;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TeacherRecipe#of}: the recipe a job file's teacher section describes, field by field. */
class TeacherRecipeOfJobTest {

    /** The repository root: the tests run in kd-core/. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void shouldDeriveTheRecipeOfTheShippedTeacherJob() {
        JobSettings job = JobSettings.resolve(JobFile.read(ROOT.resolve("jobs/shakespeare-teacher.yaml")));

        TeacherRecipe recipe = TeacherRecipe.of(job, 4);

        // bench/configs/bart-small.json with the job's shape overrides (3+3 layers, dropout, 64 positions)
        assertThat(recipe.shape()).isEqualTo(new BartShape(256, 3, 3, 4, 1024, 0.1, 64));
        assertThat(recipe.vocabSize()).isEqualTo(3000);
        assertThat(recipe.minFrequency()).isEqualTo(2);
        assertThat(recipe.denoisingEpochs()).isEqualTo(2);
        assertThat(recipe.pretraining()).as("teacher.pretraining's optimization")
                .isEqualTo(new TeacherRecipe.Optimization(32, 1e-3, 300, 0.01));
        assertThat(recipe.denoising()).isEqualTo(new DenoisingSettings(0.3, 3.0, false, true, 48, 48));
        assertThat(recipe.maxDenoisingTexts()).as("every training and unlabeled text").isZero();
        assertThat(recipe.fineTuneEpochs()).isEqualTo(8);
        assertThat(recipe.batchSize()).isEqualTo(32);
        assertThat(recipe.learningRate()).isEqualTo(1e-3);
        assertThat(recipe.warmupSteps()).isEqualTo(300);
        assertThat(recipe.weightDecay()).isEqualTo(0.01);
        assertThat(recipe.seed()).isEqualTo(42);
        assertThat(recipe.maxTokens()).isEqualTo(48);
        assertThat(recipe.devSelection()).isTrue();
        assertThat(recipe.devExamples()).as("task.dev_size").isEqualTo(200);
        assertThat(recipe.devBeams()).isEqualTo(4);
    }

    @Test
    void shouldApplyTheShapeOverridesToTheBenchShapeWithoutAConfigFile() {
        String yaml = """
                seed: 3
                task:
                  train: %s
                  max_source_tokens: 20
                  max_target_tokens: 24
                teacher:
                  tokenizer:
                    vocab_size: 400
                  shape:
                    d_model: 32
                    attention_heads: 2
                    decoder_layers: 1
                  fine_tuning:
                    epochs: 3
                    select_on_dev: false
                    group_by_length: true
                """.formatted(ROOT.resolve("data/shakespeare/train.jsonl"));
        JobSettings job = JobSettings.resolve(JobFile.parse("t.yaml", yaml, ROOT, "t"));

        TeacherRecipe recipe = TeacherRecipe.of(job, 2);

        assertThat(recipe.shape()).isEqualTo(new BartShape(32, 4, 1, 2, 1024, 0.0, 128));
        assertThat(recipe.vocabSize()).isEqualTo(400);
        assertThat(recipe.denoisingEpochs()).isZero();
        assertThat(recipe.fineTuneEpochs()).isEqualTo(3);
        assertThat(recipe.seed()).isEqualTo(3);
        assertThat(recipe.maxTokens()).isEqualTo(24);
        assertThat(recipe.devSelection()).isFalse();
        assertThat(recipe.batchOrder()).isEqualTo(EpochBatches.Order.LENGTH_GROUPED);
        assertThat(recipe.devExamples()).as("every dev example").isEqualTo(Integer.MAX_VALUE);
        assertThat(recipe.devBeams()).isEqualTo(2);
    }

    @Test
    void shouldKeepPretrainingAndFineTuningOptimizationApartAndTheTokenizersMinFrequency() {
        String yaml = """
                task:
                  train: %s
                teacher:
                  tokenizer:
                    vocab_size: 500
                    min_frequency: 5
                  pretraining:
                    epochs: 1
                    batch_size: 64
                    learning_rate: 2e-3
                    warmup_steps: 50
                    weight_decay: 0.05
                  fine_tuning:
                    epochs: 2
                    batch_size: 8
                    learning_rate: 3e-4
                    warmup_steps: 10
                    weight_decay: 0.001
                """.formatted(ROOT.resolve("data/shakespeare/train.jsonl"));
        TeacherRecipe recipe = TeacherRecipe.of(JobSettings.resolve(JobFile.parse("t.yaml", yaml, ROOT, "t")), 1);

        assertThat(recipe.minFrequency()).isEqualTo(5);
        assertThat(recipe.pretraining()).isEqualTo(new TeacherRecipe.Optimization(64, 2e-3, 50, 0.05));
        assertThat(recipe.fineTuning()).isEqualTo(new TeacherRecipe.Optimization(8, 3e-4, 10, 0.001));
        assertThat(List.<Object>of(recipe.batchSize(), recipe.learningRate(), recipe.warmupSteps(),
                recipe.weightDecay())).as("the fine-tuning's, as before").containsExactly(8, 3e-4, 10, 0.001);
        assertThat(recipe.canonical()).containsEntry("min_frequency", 5).containsEntry("pretraining_batch_size", 64)
                .containsEntry("pretraining_learning_rate", 2e-3).containsEntry("pretraining_warmup_steps", 50)
                .containsEntry("pretraining_weight_decay", 0.05).containsEntry("batch_size", 8)
                .containsEntry("learning_rate", 3e-4);
        assertThat(TeacherRecipe.withOverrides(recipe, Map.of())).isEqualTo(recipe);
        assertThat(TeacherRecipe.withOverrides(recipe, Map.of("pretraining_learning_rate", "1e-3",
                "min_frequency", "1"))).isEqualTo(new TeacherRecipe(500, 1, recipe.shape(), 1, recipe.denoising(),
                        new TeacherRecipe.Optimization(64, 1e-3, 50, 0.05), 0, 2, 8, 3e-4, 10, 0.001, 42,
                        recipe.maxTokens(), true, Integer.MAX_VALUE, 1, false));
    }

    @Test
    void shouldRefuseAGpt2ConfigForATeacherTrainedHere() {
        Path gpt2 = ROOT.resolve("kd-core/src/test/resources/hf-tiny/gpt2-tiny/config.json");
        String yaml = """
                task:
                  train: %s
                teacher:
                  config_file: %s
                """.formatted(ROOT.resolve("data/shakespeare/train.jsonl"), gpt2);
        JobSettings job = JobSettings.resolve(JobFile.parse("t.yaml", yaml, ROOT, "t"));

        assertThatThrownBy(() -> TeacherRecipe.of(job, 1)).isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.teacher.config_uri: " + gpt2 + " is a gpt2 config; a teacher trained here"
                        + " (source TRAIN) is a BART (give a bart config.json, or use source pretrained with a trained"
                        + " gpt2 directory)");
    }

    @Test
    void shouldKeepTheCacheKeyOfRecipesThatUseWhatOlderRecipesImplied() {
        TeacherRecipe base = TeacherRecipe.shakespeare();
        Map<String, String> data = Map.of("train.jsonl", "0".repeat(64));
        String key = TeacherCache.key(base, data);

        assertThat(base.pretraining()).isEqualTo(base.fineTuning());
        assertThat(base.minFrequency()).isEqualTo(2);
        assertThat(base.identity()).as("a teacher cached before these keys existed is still found")
                .doesNotContainKeys("min_frequency", "pretraining_batch_size", "pretraining_learning_rate",
                        "pretraining_warmup_steps", "pretraining_weight_decay", "group_by_length")
                .containsEntry("learning_rate", 1e-3).hasSize(base.canonical().size() - 6);
        assertThat(TeacherCache.key(TeacherRecipe.withOverrides(base, Map.of("min_frequency", "2")), data))
                .isEqualTo(key);
        assertThat(TeacherCache.key(TeacherRecipe.withOverrides(base, Map.of("min_frequency", "3")), data))
                .isNotEqualTo(key);
        TeacherRecipe grouped = TeacherRecipe.withOverrides(base, Map.of("group_by_length", "true"));
        assertThat(grouped.batchOrder()).isEqualTo(EpochBatches.Order.LENGTH_GROUPED);
        assertThat(grouped.identity()).containsEntry("group_by_length", true);
        assertThat(TeacherCache.key(grouped, data)).isNotEqualTo(key);
        TeacherRecipe otherPretraining = TeacherRecipe.withOverrides(base, Map.of("pretraining_weight_decay", "0.1"));
        assertThat(otherPretraining.identity()).containsEntry("pretraining_weight_decay", 0.1)
                .containsEntry("pretraining_learning_rate", 1e-3);
        assertThat(TeacherCache.key(otherPretraining, data)).isNotEqualTo(key);
        TeacherRecipe noPretraining = TeacherRecipe.withOverrides(base, Map.of("denoising_epochs", "0"));
        assertThat(TeacherCache.key(TeacherRecipe.withOverrides(noPretraining, Map.of("pretraining_weight_decay",
                "0.1")), data)).as("pre-training settings without pre-training")
                .isEqualTo(TeacherCache.key(noPretraining, data));
    }

    @Test
    void shouldRefuseAJobWithoutATeacherSection() {
        String yaml = "task:\n  train: " + ROOT.resolve("data/shakespeare/train.jsonl") + "\n";
        JobSettings job = JobSettings.resolve(JobFile.parse("t.yaml", yaml, ROOT, "t"));

        assertThatThrownBy(() -> TeacherRecipe.of(job, 4)).isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.teacher: missing (a job that trains or fine-tunes its teacher needs a teacher"
                        + " section)");
    }
}
