package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop on the bart-tiny fixture, libtorch on one thread: accumulation, checkpoint cadence,
 * determinism and bit-exact resume, and the cross-entropy objective against the transformers reference.
 */
class TrainingLoopTest {

    /** Style-transfer pairs: the copy-trained fixture must learn something new. */
    private static final List<TrainingExample> PAIRS = List.of(
            TrainingExample.of("a", "Good morrow to you, my lord.", "Hello, sir."),
            TrainingExample.of("b", "What news on the Rialto?", "What is new in town?"),
            TrainingExample.of("c", "Wherefore art thou Romeo?", "Why are you Romeo?"),
            TrainingExample.of("d", "All that glisters is not gold.", "Shiny things can be cheap."));

    @TempDir
    Path dir;

    @BeforeAll
    static void oneThread() {
        Engine.getInstance();
        JniUtils.setNumThreads(1);
    }

    @Test
    void shouldTrainLikeOneBigBatchWhenAccumulatingMicroBatches() {
        // The same target everywhere: equal token counts, so the mean of micro-batch means is the batch mean.
        List<TrainingExample> sameTargets = PAIRS.stream()
                .map(p -> TrainingExample.of(p.exampleId(), p.source(), "What is new in town?")).toList();
        Path init = HfTiny.copyModel(HfTiny.BART, dir);
        List<Double> big = new ArrayList<>();
        List<Double> accumulated = new ArrayList<>();
        float[][] bigWeights = trainedWeights(init, sameTargets, noWarmup(settings(4, 1, 1)), 2, big);
        float[][] accumulatedWeights = trainedWeights(init, sameTargets, noWarmup(settings(2, 2, 1)), 2, accumulated);

        assertThat(accumulated.get(0)).isCloseTo(big.get(0), within(1e-6));
        assertThat(accumulated.get(1)).as("loss after one update").isCloseTo(big.get(1), within(1e-5));
        assertThat(big.get(1)).isLessThan(big.get(0));
        // AdamW moves every weight by about lr whatever its gradient's size, so float rounding in near-zero
        // gradients (other padding widths) can move a few elements differently; nearly all agree closely.
        long total = 0;
        long close = 0;
        for (int i = 0; i < bigWeights.length; i++) {
            for (int j = 0; j < bigWeights[i].length; j++) {
                total++;
                close += Math.abs(accumulatedWeights[i][j] - bigWeights[i][j]) <= 1e-6f ? 1 : 0;
            }
        }
        assertThat((double) close / total).isGreaterThan(0.99);
    }

    @Test
    void shouldCallTheCheckpointSinkEveryNStepsWithTheFullResumeState() throws Exception {
        Path init = HfTiny.copyModel(HfTiny.BART, dir);
        List<Long> checkpointed = new ArrayList<>();
        List<StepReport> reports = new ArrayList<>();
        try (StudentTraining run = StudentTraining.open(init, settings(2, 1, 2), epochs(3, 42), 100)) {
            run.loop().addListener(reports::add).onCheckpoint((loop, last) -> {
                checkpointed.add(last.stepsDone());
                run.save(dir.resolve("step-" + last.stepsDone()));
            });
            assertThat(run.loop().run(5)).isEqualTo(5);
        }
        assertThat(checkpointed).containsExactly(2L, 4L);
        assertThat(reports).extracting(r -> r.result().step()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(reports.get(0).targetTokens()).isPositive();
        assertThat(reports.get(0).result().learningRate()).isEqualTo(0.0); // warmup starts at 0
        assertThat(reports.get(4).position()).isEqualTo(new DataPosition(2, 1, 42));
        Path saved = dir.resolve("step-4");
        assertThat(saved.resolve("model.safetensors")).exists();
        assertThat(saved.resolve("config.json")).exists();
        assertThat(saved.resolve("tokenizer.json")).exists();
        assertThat(saved.resolve("optimizer.safetensors")).exists();
        assertThat(Files.readString(saved.resolve("training_state.json")))
                .contains("\"steps\" : 4").contains("\"epoch\" : 1").contains("\"index\" : 2");
    }

    @Test
    void shouldRepeatTheSameLossesWithTheSameSeed() {
        Path init = HfTiny.copyModel(HfTiny.BART, dir);
        List<Double> first = losses(init, 42, 6);
        List<Double> second = losses(init, 42, 6);
        List<Double> otherSeed = losses(init, 7, 6);

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).as("another seed shuffles differently").isNotEqualTo(first);
        assertThat(first.get(5)).as("the loss goes down").isLessThan(first.get(0));
    }

    @Test
    void shouldResumeBitForBitFromACheckpoint() throws Exception {
        Path init = HfTiny.copyModel(HfTiny.BART, dir);
        TrainingSettings settings = settings(2, 1, 1000);
        List<Double> uninterrupted = new ArrayList<>();
        float[][] expected;
        try (StudentTraining run = StudentTraining.open(init, settings, epochs(4, 42), 7)) {
            run.loop().addListener(r -> uninterrupted.add(r.result().loss()));
            assertThat(run.loop().run(Long.MAX_VALUE)).as("the schedule ends the run").isEqualTo(7);
            expected = weights(run);
        }

        List<Double> resumed = new ArrayList<>();
        Path checkpoint = dir.resolve("checkpoint");
        try (StudentTraining run = StudentTraining.open(init, settings, epochs(4, 42), 7)) {
            run.loop().addListener(r -> resumed.add(r.result().loss()));
            run.loop().run(3); // stops inside epoch 1
            run.save(checkpoint);
        }
        float[][] actual;
        try (StudentTraining run = StudentTraining.open(checkpoint, settings, epochs(4, 42), 7)) {
            run.loop().restore(checkpoint);
            assertThat(run.loop().steps()).isEqualTo(3);
            run.loop().addListener(r -> resumed.add(r.result().loss()));
            assertThat(run.loop().run(Long.MAX_VALUE)).isEqualTo(4);
            actual = weights(run);
        }

        assertThat(resumed).isEqualTo(uninterrupted);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("parameter %d", i).isEqualTo(expected[i]);
        }
    }

    @Test
    void shouldRefuseACheckpointOfAnotherSchedule() throws Exception {
        Path init = HfTiny.copyModel(HfTiny.BART, dir);
        Path checkpoint = dir.resolve("checkpoint");
        try (StudentTraining run = StudentTraining.open(init, settings(2, 1, 1000), epochs(1, 42), 7)) {
            run.loop().run(1);
            run.save(checkpoint);
        }
        try (StudentTraining run = StudentTraining.open(checkpoint, settings(2, 1, 1000), epochs(1, 42), 9)) {
            assertThatThrownBy(() -> run.loop().restore(checkpoint)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("training_state.json: the checkpoint ran under LinearWarmupDecay[peakRate=0.001, "
                            + "warmupSteps=2, totalSteps=7], this run has LinearWarmupDecay[peakRate=0.001, "
                            + "warmupSteps=2, totalSteps=9]");
        }
    }

    @Test
    void shouldComputeTheReferenceCrossEntropyOfBartTiny() {
        Path model = HfTiny.copyModel(HfTiny.BART, dir);
        List<String> texts = List.of("You can apply it to your programs, too.", "the work must carry prominent notices",
                "Distribution of modified versions is permitted.");
        List<TrainingExample> examples = IntStream.range(0, 3)
                .mapToObj(i -> TrainingExample.of("t" + i, texts.get(i), texts.get(i))).toList();
        try (StudentTraining run = StudentTraining.open(model, settings(3, 1, 1), epochs(1, 1), 10);
                HfTokenizer tokenizer = HfTokenizer.load(model.resolve("tokenizer.json"));
                NDManager manager = NDManager.newBaseManager();
                Autograd.Scope noGrad = Autograd.disabled()) {
            Map<String, NDArray> reference = ReferenceTensors.load(model.resolve("reference.safetensors"), manager);
            PairBatch pairs = PairBatch.encode(new TextEncoding(tokenizer, run.student().config()), texts, texts, 64,
                    64, 1);
            double loss = new CrossEntropyObjective(run.student()).loss(manager, new TrainingBatch(examples, pairs), 0)
                    .getFloat();
            double modelLoss = run.student().loss(manager.create(pairs.inputIds()),
                    manager.create(pairs.attentionMask()), manager.create(pairs.labels()), RunMode.INFERENCE).getFloat();

            assertThat(loss).isCloseTo(reference.get("loss").getFloat(), within(1e-6));
            assertThat(loss).isEqualTo(modelLoss);
        }
    }

    /** Batch, accumulation, cadence; lr 1e-3 with 2 warmup steps, weight decay 0.01, seed 42. */
    private static TrainingSettings settings(int batchSize, int accumulation, int checkpointEvery) {
        TrainingSettings d = TrainingSettings.DEFAULTS;
        return new TrainingSettings(d.objective(), 1.0, 3, batchSize, accumulation, 1e-3, 0.01, 2, 42,
                d.jointTeaching(), 0, 0, 0, 32, 32, 0, checkpointEvery, 1.0);
    }

    private static TrainingSettings noWarmup(TrainingSettings s) {
        return new TrainingSettings(s.objective(), s.kdTemperature(), s.epochs(), s.batchSize(),
                s.gradientAccumulation(), s.learningRate(), s.weightDecay(), 0, s.seed(), s.jointTeaching(), 0, 0, 0,
                s.maxSourceTokens(), s.maxTargetTokens(), 0, s.checkpointEverySteps(), s.maxGradNorm());
    }

    private static EpochBatches epochs(int epochs, long seed) {
        return new EpochBatches(epoch -> PAIRS, 2, epochs, seed);
    }

    private float[][] trainedWeights(Path init, List<TrainingExample> examples, TrainingSettings settings, int steps,
            List<Double> losses) {
        EpochBatches source = new EpochBatches(epoch -> examples, settings.batchSize(), 2, 42);
        try (StudentTraining run = StudentTraining.open(init, settings, source, 10)) {
            run.loop().addListener(r -> losses.add(r.result().loss()));
            run.loop().run(steps);
            return weights(run);
        }
    }

    private List<Double> losses(Path init, long seed, int steps) {
        TrainingSettings settings = settings(2, 1, 1000);
        List<Double> losses = new ArrayList<>();
        try (StudentTraining run = StudentTraining.open(init, settings, epochs(3, seed), 100)) {
            run.loop().addListener(r -> losses.add(r.result().loss()));
            run.loop().run(steps);
        }
        return losses;
    }

    private static float[][] weights(StudentTraining run) {
        return run.student().parameters().stream().map(Parameter::array).map(NDArray::toFloatArray)
                .toArray(float[][]::new);
    }
}
