package io.kdflow.core.teacher;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.pretrain.DenoisingExamples;
import io.kdflow.core.train.BatchSource;
import io.kdflow.core.train.CrossEntropyObjective;
import io.kdflow.core.train.EpochBatches;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.StepReport;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.train.TrainingListener;
import io.kdflow.core.train.TrainingLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a teacher: from scratch (tokenizer trained on the task's text, random-init BART, optional denoising
 * pre-training on unlabeled and training text) or from a user's pretrained HF directory, then cross-entropy
 * fine-tuning on the gold pairs with the best dev-BLEU epoch kept, written as an HF directory. The kept model
 * is checked with {@link InputSensitivity}; an unconditional teacher is reported loudly (log warning and
 * progress note), never silently.
 *
 * <p>Work directories ({@code init/}, {@code denoised/}, {@code best/}) go under the {@code work} directory the
 * caller gives; the result is copied to {@code output}.
 */
public final class TeacherTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(TeacherTrainer.class);
    /** Sources the input-sensitivity check decodes (the first of the dev split). */
    private static final int SENSITIVITY_EXAMPLES = 100;
    private static final int EVAL_BATCH = 16;

    private final TeacherRecipe recipe;
    private final TeacherProgress progress;

    public TeacherTrainer(TeacherRecipe recipe, TeacherProgress progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    /** Trains a teacher from nothing: tokenizer, random BART, denoising (if any epochs), fine-tuning. */
    public TeacherResult trainFromScratch(TeacherData data, Path work, Path output) {
        long start = System.nanoTime();
        Path init = work.resolve("init");
        progress.onNote("training a " + recipe.vocabSize() + "-token BPE tokenizer (min frequency "
                + recipe.minFrequency() + ") and initialising " + recipe.shape());
        ScratchBart.create(init, tokenizerTexts(data), recipe.vocabSize(), recipe.minFrequency(), recipe.shape(),
                recipe.seed());
        Path from = init;
        long denoisingSteps = 0;
        if (recipe.denoisingEpochs() > 0) {
            from = work.resolve("denoised");
            denoisingSteps = denoise(init, pretrainingTexts(data), from);
        }
        return fineTune(from, data, work, output, denoisingSteps, start);
    }

    /** Fine-tunes a user's pretrained HF encoder-decoder directory (tokenizer included) on the gold pairs. */
    public TeacherResult fineTunePretrained(Path pretrained, TeacherData data, Path work, Path output) {
        return fineTune(pretrained, data, work, output, 0, System.nanoTime());
    }

    private static List<String> tokenizerTexts(TeacherData data) {
        List<String> texts = new ArrayList<>(data.trainSources());
        texts.addAll(data.trainTargets());
        texts.addAll(data.unlabeled());
        return texts;
    }

    /** Training sources and targets, then unlabeled lines, cut to the recipe's limit. */
    List<String> pretrainingTexts(TeacherData data) {
        List<String> texts = tokenizerTexts(data);
        return recipe.maxDenoisingTexts() > 0 && texts.size() > recipe.maxDenoisingTexts()
                ? List.copyOf(texts.subList(0, recipe.maxDenoisingTexts())) : texts;
    }

    /** Denoising pre-training of the model in {@code from} on {@code texts}, written to {@code to}; returns steps. */
    long denoise(Path from, List<String> texts, Path to) {
        progress.onNote("denoising pre-training on " + texts.size() + " texts for " + recipe.denoisingEpochs()
                + " epoch(s)");
        DenormalFlush.ensureEnabled();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(from, manager)) {
            Seq2SeqModel model = directory.seq2seq();
            DenoisingExamples pairs = new DenoisingExamples(directory.tokenizer(), directory.textEncoding(), texts,
                    recipe.denoising(), recipe.seed());
            TeacherRecipe.Optimization optimization = recipe.pretraining();
            BatchSource source = new EpochBatches(epoch -> DenoisingBatches.examplesOfEpoch(texts, epoch),
                    recipe.batchOrder(), optimization.batchSize(), recipe.denoisingEpochs(), recipe.seed());
            long total = EpochBatches.batchesPerEpoch(texts.size(), optimization.batchSize())
                    * recipe.denoisingEpochs();
            DenoisingBatches encoder = new DenoisingBatches(pairs, model.config().specialTokens().pad());
            try (TrainingLoop loop = loop(model, source, encoder, optimization, recipe.denoisingEpochs(), total)) {
                loop.addListener(new Rate("denoising", total));
                loop.run(total);
                ModelDirectoryWriter.save(model, to, from);
                return loop.steps();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the denoised model to " + to + ": " + e.getMessage(), e);
        }
    }

    private TeacherResult fineTune(Path from, TeacherData data, Path work, Path output, long denoisingSteps,
            long start) {
        List<TrainingExample> pairs = new ArrayList<>();
        for (EvalExample example : data.train()) {
            pairs.add(TrainingExample.of(example.id(), example.source(), example.references().get(0)));
        }
        List<EvalExample> dev = data.devSubset(recipe.devExamples());
        Path best = work.resolve("best");
        progress.onNote("fine-tuning on " + pairs.size() + " pairs for " + recipe.fineTuneEpochs() + " epoch(s)");
        DenormalFlush.ensureEnabled();
        Map<String, Double> bestMetrics = Map.of();
        int bestEpoch = 0;
        long steps;
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(from, manager)) {
            Seq2SeqModel model = directory.seq2seq();
            long pad = model.config().specialTokens().pad();
            TextEncoding encoding = directory.textEncoding();
            Function<List<TrainingExample>, TrainingBatch> encoder = examples -> new TrainingBatch(examples,
                    PairBatch.encode(encoding, examples.stream().map(TrainingExample::source).toList(),
                            examples.stream().map(TrainingExample::target).toList(), recipe.maxTokens(),
                            recipe.maxTokens(), pad));
            long perEpoch = EpochBatches.batchesPerEpoch(pairs.size(), recipe.batchSize());
            long total = perEpoch * recipe.fineTuneEpochs();
            BatchSource source = new EpochBatches(epoch -> pairs, recipe.batchOrder(), recipe.batchSize(),
                    recipe.fineTuneEpochs(), recipe.seed());
            SplitEvaluator evaluator = new SplitEvaluator(model, directory.tokenizer(), directory.generationConfig());
            EvaluationSettings evaluation = new EvaluationSettings(recipe.devBeams(), recipe.maxTokens(),
                    recipe.maxTokens(), recipe.maxTokens(), EVAL_BATCH, MetricNames.BLEU, dev.size(), 1,
                    Path.of("dev"), Optional.empty(), false, false);
            try (TrainingLoop loop = loop(model, source, encoder, recipe.fineTuning(), recipe.fineTuneEpochs(),
                    total)) {
                loop.addListener(new Rate("fine-tuning", total));
                double bestBleu = Double.NEGATIVE_INFINITY;
                for (int epoch = 1; epoch <= recipe.fineTuneEpochs(); epoch++) {
                    loop.run(perEpoch);
                    boolean last = epoch == recipe.fineTuneEpochs();
                    if (!recipe.devSelection() && !last) {
                        continue;
                    }
                    Map<String, Double> metrics;
                    try (DecodingWorkers workers = DecodingWorkers.forCallingThread()) { // as every dev selection
                        metrics = evaluator.evaluate(dev, evaluation, workers).metrics();
                    }
                    boolean improved = !recipe.devSelection() || metrics.get(MetricNames.BLEU) > bestBleu;
                    progress.onEvaluation(epoch, metrics, improved);
                    if (improved) {
                        bestBleu = metrics.get(MetricNames.BLEU);
                        bestMetrics = metrics;
                        bestEpoch = epoch;
                        ModelDirectoryWriter.save(model, best, from);
                    }
                }
                steps = loop.steps();
            }
            copyDirectory(best, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the teacher to " + output + ": " + e.getMessage(), e);
        }
        InputSensitivity.Result sensitivity = checkSensitivity(output, data);
        return new TeacherResult(output, bestMetrics, bestEpoch, denoisingSteps, steps, sensitivity,
                (System.nanoTime() - start) / 1e9);
    }

    /** Runs {@link InputSensitivity} on a teacher directory and reports the verdict, loudly when it fails. */
    InputSensitivity.Result checkSensitivity(Path teacher, TeacherData data) {
        List<String> sources = data.devSubset(SENSITIVITY_EXAMPLES).stream().map(EvalExample::source).toList();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(teacher, manager);
                DecodingWorkers workers = DecodingWorkers.forCallingThread()) {
            InputSensitivity.Result result = new InputSensitivity(directory.seq2seq(), directory.tokenizer(),
                    directory.generationConfig(), InputSensitivity.Thresholds.DEFAULT)
                    .measure(sources, recipe.maxTokens(), workers);
            if (result.unconditional()) {
                String warning = "THE TEACHER IGNORES ITS INPUT: " + result.summary() + "; most common prediction: \""
                        + result.mostCommonPrediction() + "\". Distilling it teaches a language model, not the"
                        + " task: train longer, pre-train with denoising, or use a smaller vocabulary.";
                LOG.warn(warning);
                progress.onNote("WARNING: " + warning);
            } else {
                LOG.info("input sensitivity: {}", result.summary());
                progress.onNote("input sensitivity: " + result.summary());
            }
            return result;
        }
    }

    private TrainingLoop loop(Seq2SeqModel model, BatchSource source,
            Function<List<TrainingExample>, TrainingBatch> encoder, TeacherRecipe.Optimization optimization,
            int epochs, long total) {
        TrainingSettings settings = new TrainingSettings(TrainingSettings.Objective.CROSS_ENTROPY, 1.0, epochs,
                optimization.batchSize(), 1, optimization.learningRate(), optimization.weightDecay(),
                (int) Math.min(optimization.warmupSteps(), total), recipe.seed(), TrainingSettings.JointTeaching.OFF, 0,
                0, 0, recipe.maxTokens(), recipe.maxTokens(), total, Integer.MAX_VALUE, 1.0);
        return new TrainingLoop(model, new CrossEntropyObjective(model), source, encoder, settings, total);
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Turns step reports into progress steps with the phase's mean rate and ETA. */
    private final class Rate implements TrainingListener {
        private final String phase;
        private final long total;
        private final long started = System.nanoTime();

        Rate(String phase, long total) {
            this.phase = phase;
            this.total = total;
        }

        @Override
        public void onStep(StepReport report) {
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = report.stepsDone() / Math.max(seconds, 1e-9);
            progress.onStep(new TeacherProgress.Step(phase, report.stepsDone(), total, report.result().loss(),
                    rate, (total - report.stepsDone()) / rate));
        }
    }
}
