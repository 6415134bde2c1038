package io.kdflow.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The task metrics of the paper in one call: corpus BLEU, chrF and TER (sacrebleu defaults) and corpus
 * ROUGE-1/2/L (rouge-score, averaged over pairs), plus the paper's ROUGE (mean of the three F1).
 *
 * <p>Every number in the result is on a 0-100 scale. ROUGE corpus values are the plain means over pairs of
 * rouge-score's per-pair precision, recall and F1; the paper's HF wrapper reported the median of 1000
 * bootstrap means ("mid"), which converges to the same mean (see {@code docs/metrics.md}).
 */
public final class TaskMetrics {

    private TaskMetrics() {
    }

    /**
     * What to score and how.
     *
     * @param dropEmpty drop a pair whose prediction is blank or whose references are all blank (blank
     *     references of a kept pair are dropped too), the paper's protocol; otherwise score every pair as the
     *     reference libraries do
     * @param rougeStemming stem ROUGE tokens with NLTK's Porter stemmer (HF's and the paper's default: off)
     */
    public record Options(boolean dropEmpty, boolean rougeStemming) {

        /** The reference libraries' behaviour: keep every pair, no stemming. */
        public static Options defaults() {
            return new Options(false, false);
        }

        /** The paper's protocol (docs/method.md, "Evaluation protocol"): drop empty pairs, no stemming. */
        public static Options paperProtocol() {
            return new Options(true, false);
        }

        public Options withDropEmpty(boolean value) {
            return new Options(value, rougeStemming);
        }

        public Options withRougeStemming(boolean value) {
            return new Options(dropEmpty, value);
        }
    }

    /**
     * Scores {@code predictions} against {@code references} (one list of one or more references per
     * prediction).
     *
     * @throws IllegalArgumentException when the lists are empty, differ in length or hold nulls
     */
    public static TaskMetricsResult score(List<String> predictions, List<List<String>> references, Options options) {
        Inputs.checkCorpus(predictions, references, "predictions");
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("no predictions to score: predictions and references are empty");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null; use TaskMetrics.Options.defaults()");
        }
        List<String> keptPredictions = new ArrayList<>(predictions.size());
        List<List<String>> keptReferences = new ArrayList<>(predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            String prediction = predictions.get(i);
            List<String> refs = options.dropEmpty() ? nonBlank(references.get(i)) : references.get(i);
            if (options.dropEmpty() && (PythonStrings.isBlank(prediction) || refs.isEmpty())) {
                continue;
            }
            keptPredictions.add(prediction);
            keptReferences.add(refs);
        }
        int dropped = predictions.size() - keptPredictions.size();
        if (keptPredictions.isEmpty()) {
            return TaskMetricsResult.nothingScored(dropped, options);
        }
        return scoreKept(keptPredictions, keptReferences, dropped, options);
    }

    private static TaskMetricsResult scoreKept(List<String> predictions, List<List<String>> references, int dropped,
            Options options) {
        Rouge rouge = new Rouge(options.rougeStemming());
        int n = predictions.size();
        double[] sums = new double[9];
        for (int i = 0; i < n; i++) {
            RougeScores pair = rouge.scoreMulti(predictions.get(i), references.get(i));
            addTo(sums, 0, pair.rouge1());
            addTo(sums, 3, pair.rouge2());
            addTo(sums, 6, pair.rougeL());
        }
        RougeScore rouge1 = meanTimes100(sums, 0, n);
        RougeScore rouge2 = meanTimes100(sums, 3, n);
        RougeScore rougeL = meanTimes100(sums, 6, n);
        return new TaskMetricsResult(n, dropped,
                Bleu.corpusScore(predictions, references),
                Chrf.corpusScore(predictions, references),
                Ter.corpusScore(predictions, references),
                rouge1, rouge2, rougeL,
                (rouge1.fmeasure() + rouge2.fmeasure() + rougeL.fmeasure()) / 3,
                options);
    }

    private static List<String> nonBlank(List<String> references) {
        return references.stream().filter(reference -> !PythonStrings.isBlank(reference)).toList();
    }

    private static void addTo(double[] sums, int offset, RougeScore score) {
        sums[offset] += score.precision();
        sums[offset + 1] += score.recall();
        sums[offset + 2] += score.fmeasure();
    }

    private static RougeScore meanTimes100(double[] sums, int offset, int n) {
        return new RougeScore(100 * sums[offset] / n, 100 * sums[offset + 1] / n, 100 * sums[offset + 2] / n);
    }
}
