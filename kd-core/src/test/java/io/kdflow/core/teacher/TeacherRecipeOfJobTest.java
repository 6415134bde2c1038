package io.kdflow.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.pretrain.DenoisingSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link TeacherRecipe#of}: the recipe a job file's teacher section describes, field by field. */
class TeacherRecipeOfJobTest {

    /** The repository root: the tests run in kd-core/. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void shouldDeriveTheRecipeOfTheShippedTeacherJob() {
        JobSettings job = JobSettings.resolve(JobFile.read(ROOT.resolve("jobs/shakespeare-teacher.yaml")));

        TeacherRecipe recipe = TeacherRecipe.of(job, 4);

        // bench/configs/bart-small.json with the job's shape.dropout
        assertThat(recipe.shape()).isEqualTo(new BartShape(256, 4, 4, 4, 1024, 0.1, 128));
        assertThat(recipe.vocabSize()).isEqualTo(8000);
        assertThat(recipe.denoisingEpochs()).isEqualTo(2);
        assertThat(recipe.denoising()).isEqualTo(new DenoisingSettings(0.3, 3.0, true, true, 48, 48));
        assertThat(recipe.maxDenoisingTexts()).as("the job's unlabeled_size limits the texts").isZero();
        assertThat(recipe.fineTuneEpochs()).isEqualTo(4);
        assertThat(recipe.batchSize()).isEqualTo(32);
        assertThat(recipe.learningRate()).isEqualTo(5e-4);
        assertThat(recipe.warmupSteps()).isEqualTo(100);
        assertThat(recipe.weightDecay()).isEqualTo(1e-5);
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
        assertThat(recipe.devExamples()).as("every dev example").isEqualTo(Integer.MAX_VALUE);
        assertThat(recipe.devBeams()).isEqualTo(2);
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
