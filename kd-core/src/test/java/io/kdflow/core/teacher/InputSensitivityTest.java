package io.kdflow.core.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.model.ModelDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure test of a teacher trained from scratch, on tiny models trained here (libtorch on one thread):
 * a model trained to copy uses its input; a model trained with one constant source for every target can only
 * learn a language model, and is flagged, loudly, by {@link TeacherTrainer}.
 */
class InputSensitivityTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void oneThread() {
        Engine.getInstance();
        JniUtils.setNumThreads(1);
    }

    @Test
    void shouldPassAModelTrainedToCopyItsInput() {
        List<String> notes = new ArrayList<>();
        // 400 pairs, batches of 16, 16 epochs: 400 steps. After 12 epochs the margin still swung with the float
        // rounding of the optimizer (1.4 to 43 over seeds); after 16 it was 47-93 for every seed tried.
        TeacherResult result = new TeacherTrainer(TinyTasks.recipe(16, 7), notes(notes))
                .trainFromScratch(TinyTasks.copyTask(), dir.resolve("work"), dir.resolve("copy"));

        InputSensitivity.Result check = result.sensitivity();
        assertThat(check.unconditional()).isFalse();
        assertThat(check.examples()).isEqualTo(40);
        assertThat(check.distinctFraction()).isGreaterThan(0.5);
        assertThat(check.sourceMargin()).isGreaterThan(3.0); // 3x the verdict's threshold
        assertThat(result.fineTuneSteps()).isEqualTo(400);
        assertThat(notes).anyMatch(note -> note.startsWith("input sensitivity: uses its input"));
        assertThat(notes).noneMatch(note -> note.startsWith("WARNING"));

        List<String> sources = TinyTasks.copyTask().devSubset(40).stream().map(EvalExample::source).toList();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = ModelDirectory.load(dir.resolve("copy"), manager);
                DecodingWorkers two = DecodingWorkers.of(2, 1)) {
            InputSensitivity sensitivity = new InputSensitivity(model.seq2seq(), model.tokenizer(),
                    model.generationConfig(), InputSensitivity.Thresholds.DEFAULT);
            int maxTokens = TinyTasks.recipe(16, 7).maxTokens();
            assertThat(sensitivity.measure(sources, maxTokens, two)).as("three batches on two workers, in order")
                    .isEqualTo(sensitivity.measure(sources, maxTokens)).isEqualTo(check);
        }
    }

    @Test
    void shouldFlagAModelThatLearnedOnlyALanguageModel() {
        List<String> notes = new ArrayList<>();
        TeacherResult result = new TeacherTrainer(TinyTasks.recipe(12, 7), notes(notes))
                .trainFromScratch(TinyTasks.constantSourceTask(), dir.resolve("work"), dir.resolve("lm"));

        InputSensitivity.Result check = result.sensitivity();
        assertThat(check.unconditional()).isTrue();
        assertThat(check.distinctFraction()).isLessThan(0.2);
        assertThat(check.summary()).startsWith("UNCONDITIONAL (ignores its input): 40 sources");
        assertThat(notes).anyMatch(note -> note.startsWith("WARNING: THE TEACHER IGNORES ITS INPUT")
                && note.contains(check.mostCommonPrediction()));
    }

    @Test
    void shouldFlagAnUntrainedModelAndRefuseASingleSource() {
        TeacherData copy = TinyTasks.copyTask();
        new TeacherTrainer(TinyTasks.recipe(1, 7), TeacherProgress.NONE)
                .trainFromScratch(copy, dir.resolve("work"), dir.resolve("one-epoch"));
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = ModelDirectory.load(dir.resolve("one-epoch"), manager)) {
            InputSensitivity sensitivity = new InputSensitivity(model.seq2seq(), model.tokenizer(),
                    model.generationConfig(), new InputSensitivity.Thresholds(0.2, 1000.0));
            // a margin no model reaches: the verdict follows the thresholds it is given
            assertThat(sensitivity.measure(List.of("red cat", "blue dog", "old tree"), 16).unconditional()).isTrue();
            assertThatThrownBy(() -> sensitivity.measure(List.of("red cat"), 16))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the input-sensitivity check needs at least two sources, got 1");
        }
    }

    private static TeacherProgress notes(List<String> notes) {
        return new TeacherProgress() {
            @Override
            public void onStep(Step step) { }

            @Override
            public void onEvaluation(int epoch, Map<String, Double> metrics, boolean best) { }

            @Override
            public void onNote(String message) {
                notes.add(message);
            }
        };
    }
}
