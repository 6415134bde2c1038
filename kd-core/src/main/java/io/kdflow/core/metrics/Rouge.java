package io.kdflow.core.metrics;

import java.util.List;
import java.util.Map;

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L exactly as Google's rouge-score package computes them
 * ({@code RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=...)}).
 *
 * <ul>
 *   <li>Tokens: {@link RougeTokenizer} (lower-case, non-alphanumerics to spaces, optional Porter stemming of
 *       tokens longer than 3 characters with NLTK's default mode).</li>
 *   <li>ROUGE-N: clipped n-gram matches; precision = matches / max(prediction n-grams, 1), recall = matches /
 *       max(reference n-grams, 1).</li>
 *   <li>ROUGE-L: LCS length over prediction length and reference length; 0 when either is empty.</li>
 *   <li>Several references ({@code score_multi}): per variant the reference with the highest F1 wins (the
 *       first one on a tie).</li>
 * </ul>
 */
public final class Rouge {

    private final RougeTokenizer tokenizer;

    /** A scorer without stemming, rouge-score's and HF's default. */
    public Rouge() {
        this(false);
    }

    /** A scorer that stems with NLTK's default Porter stemmer when {@code useStemmer} is true. */
    public Rouge(boolean useStemmer) {
        this.tokenizer = new RougeTokenizer(useStemmer ? new PorterStemmer() : null);
    }

    /** The three scores of {@code prediction} against one {@code reference}. */
    public RougeScores score(String prediction, String reference) {
        if (prediction == null || reference == null) {
            throw new IllegalArgumentException("prediction and reference must not be null");
        }
        return score(tokenizer.tokenize(prediction), tokenizer.tokenize(reference));
    }

    /** The best score per variant over several references, as rouge-score's {@code score_multi}. */
    public RougeScores scoreMulti(String prediction, List<String> references) {
        Inputs.checkSentence(prediction, references);
        List<String> predictionTokens = tokenizer.tokenize(prediction);
        RougeScores best = null;
        for (String reference : references) {
            RougeScores scores = score(predictionTokens, tokenizer.tokenize(reference));
            best = best == null ? scores : new RougeScores(
                    better(best.rouge1(), scores.rouge1()),
                    better(best.rouge2(), scores.rouge2()),
                    better(best.rougeL(), scores.rougeL()));
        }
        return best;
    }

    private static RougeScore better(RougeScore current, RougeScore candidate) {
        return candidate.fmeasure() > current.fmeasure() ? candidate : current;
    }

    private static RougeScores score(List<String> prediction, List<String> reference) {
        return new RougeScores(ngramScore(prediction, reference, 1), ngramScore(prediction, reference, 2),
                lcsScore(prediction, reference));
    }

    private static RougeScore ngramScore(List<String> prediction, List<String> reference, int order) {
        Map<String, Integer> predictionNgrams = Ngrams.words(prediction, order);
        Map<String, Integer> referenceNgrams = Ngrams.words(reference, order);
        int matches = Ngrams.clippedMatches(predictionNgrams, referenceNgrams);
        double precision = (double) matches / Math.max(Ngrams.total(predictionNgrams), 1);
        double recall = (double) matches / Math.max(Ngrams.total(referenceNgrams), 1);
        return RougeScore.of(precision, recall);
    }

    private static RougeScore lcsScore(List<String> prediction, List<String> reference) {
        if (prediction.isEmpty() || reference.isEmpty()) {
            return RougeScore.ZERO;
        }
        int lcs = lcsLength(reference, prediction);
        return RougeScore.of((double) lcs / prediction.size(), (double) lcs / reference.size());
    }

    /** Length of the longest common subsequence, with two rolling rows of the usual table. */
    static int lcsLength(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = a.get(i - 1).equals(b.get(j - 1))
                        ? previous[j - 1] + 1
                        : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
