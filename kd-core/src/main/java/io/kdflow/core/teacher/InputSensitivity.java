package io.kdflow.core.teacher;

import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.metrics.Bleu;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a model uses its input: the typical failure of a teacher trained from scratch is an
 * unconditional language model that writes the same sentence for every source.
 *
 * <p>On N sources the model's greedy predictions are measured twice: the fraction of distinct predictions,
 * and the corpus BLEU of the predictions against their own sources minus the BLEU against the sources
 * rotated by half the list (each prediction paired with another example's source). A model that reads its
 * input shares words with its own source more than with a stranger's (even a paraphraser does: names,
 * nouns); a model that does not scores the same both ways. The model is unconditional when the predictions
 * are (almost) all the same or the source margin is below {@code minSourceMargin}.
 */
public final class InputSensitivity {

    /** Decoding batch size. */
    private static final int BATCH = 16;

    /**
     * The thresholds of the verdict.
     *
     * @param minDistinctFraction below this fraction of distinct predictions the model is unconditional
     * @param minSourceMargin below this BLEU margin (own source minus shuffled source) it is unconditional
     */
    public record Thresholds(double minDistinctFraction, double minSourceMargin) {

        /** At least 20% distinct predictions and 1 BLEU point of margin. */
        public static final Thresholds DEFAULT = new Thresholds(0.2, 1.0);
    }

    /**
     * The measurements and the verdict.
     *
     * @param examples sources decoded
     * @param distinctFraction distinct predictions / examples
     * @param ownSourceBleu corpus BLEU of the predictions against their own sources
     * @param shuffledSourceBleu corpus BLEU of the predictions against other examples' sources
     * @param mostCommonPrediction the prediction made most often
     * @param unconditional whether the model ignores its input
     */
    public record Result(int examples, double distinctFraction, double ownSourceBleu, double shuffledSourceBleu,
            String mostCommonPrediction, boolean unconditional) {

        /** Own-source BLEU minus shuffled-source BLEU. */
        public double sourceMargin() {
            return ownSourceBleu - shuffledSourceBleu;
        }

        /** One line for logs and reports. */
        public String summary() {
            return String.format(Locale.ROOT, "%s: %d sources, %.1f%% distinct greedy predictions,"
                    + " BLEU vs own source %.2f, vs shuffled source %.2f (margin %.2f)",
                    unconditional ? "UNCONDITIONAL (ignores its input)" : "uses its input", examples,
                    100 * distinctFraction, ownSourceBleu, shuffledSourceBleu, sourceMargin());
        }
    }

    private final Generator generator;
    private final TextTokenizer tokenizer;
    private final Thresholds thresholds;

    public InputSensitivity(Seq2SeqModel model, TextTokenizer tokenizer, GenerationConfig generation,
            Thresholds thresholds) {
        this.generator = new Generator(model, generation);
        this.tokenizer = tokenizer;
        this.thresholds = thresholds;
    }

    /**
     * Decodes {@code sources} greedily (at most {@code maxTokens} source tokens and new tokens) and judges.
     *
     * @throws IllegalArgumentException with fewer than two sources (nothing to shuffle)
     */
    public Result measure(List<String> sources, int maxTokens) {
        return measure(sources, maxTokens, DecodingWorkers.serial());
    }

    /** {@link #measure(List, int)} with the batches decoded on {@code workers}; the same predictions. */
    public Result measure(List<String> sources, int maxTokens, DecodingWorkers workers) {
        if (sources.size() < 2) {
            throw new IllegalArgumentException("the input-sensitivity check needs at least two sources, got "
                    + sources.size());
        }
        List<String> predictions = predict(sources, maxTokens, workers);
        List<List<String>> own = new ArrayList<>();
        List<List<String>> shuffled = new ArrayList<>();
        int shift = sources.size() / 2;
        for (int i = 0; i < sources.size(); i++) {
            own.add(List.of(sources.get(i)));
            shuffled.add(List.of(sources.get((i + shift) % sources.size())));
        }
        double distinct = (double) new HashSet<>(predictions).size() / predictions.size();
        double ownBleu = Bleu.corpusScore(predictions, own).score();
        double shuffledBleu = Bleu.corpusScore(predictions, shuffled).score();
        boolean unconditional = distinct < thresholds.minDistinctFraction()
                || ownBleu - shuffledBleu < thresholds.minSourceMargin();
        return new Result(sources.size(), distinct, ownBleu, shuffledBleu, mostCommon(predictions), unconditional);
    }

    private List<String> predict(List<String> sources, int maxTokens, DecodingWorkers workers) {
        long[][] ids = tokenizer.batchEncode(sources, maxTokens);
        GenerationSettings defaults = generator.defaultSettings();
        GenerationSettings greedy = defaults.toBuilder()
                .doSample(false)
                .numSamples(1)
                .numBeams(1)
                .numReturnSequences(1)
                .maxNewTokens(maxTokens)
                .minNewTokens(Math.min(defaults.minNewTokens(), maxTokens))
                .build();
        List<List<GenerationInput>> batches = new ArrayList<>();
        for (int from = 0; from < ids.length; from += BATCH) {
            List<GenerationInput> batch = new ArrayList<>();
            for (int i = from; i < Math.min(ids.length, from + BATCH); i++) {
                batch.add(new GenerationInput(ids[i], i));
            }
            batches.add(batch);
        }
        List<String> predictions = new ArrayList<>(sources.size());
        workers.run(batches, batch -> generator.generate(batch, greedy), (batch, generations) -> {
            for (Generation generation : generations) {
                predictions.add(tokenizer.decode(generation.best().tokens(), true));
            }
        });
        return predictions;
    }

    private static String mostCommon(List<String> predictions) {
        Map<String, Integer> counts = new HashMap<>();
        String best = predictions.get(0);
        for (String prediction : predictions) {
            int count = counts.merge(prediction, 1, Integer::sum);
            if (count > counts.get(best)) {
                best = prediction;
            }
        }
        return best;
    }
}
