package io.kdflow.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * chrF exactly as sacrebleu 2.x computes it with its defaults: character n-grams of orders 1..6, no word
 * n-grams, beta 2, whitespace removed, case kept, no epsilon smoothing.
 *
 * <ul>
 *   <li>Every Python whitespace code point is deleted, then character n-grams are counted (characters are
 *       code points, as in Python).</li>
 *   <li>Per order the statistics are [hypothesis n-grams, reference n-grams, clipped matches]; the
 *       hypothesis count is reported as 0 when the reference has no n-gram of that order.</li>
 *   <li>With several references, the one whose own sentence chrF is highest supplies the segment's
 *       statistics (the first one on a tie); corpus chrF sums the chosen statistics over segments.</li>
 *   <li>Score: precision and recall are averaged over the "effective" orders (both counts positive), then
 *       {@code 100 * (1 + beta^2) * P * R / (beta^2 * P + R)}, and 0 when {@code P + R} is 0.</li>
 * </ul>
 */
public final class Chrf {

    /** sacrebleu's {@code CHRF.CHAR_ORDER}. */
    public static final int CHAR_ORDER = 6;
    /** sacrebleu's {@code CHRF.BETA}. */
    public static final int BETA = 2;

    private static final int STATS_PER_ORDER = 3;

    private Chrf() {
    }

    /** Corpus chrF of {@code hypotheses} against {@code references.get(i)}, on a 0-100 scale. */
    public static double corpusScore(List<String> hypotheses, List<List<String>> references) {
        Inputs.checkCorpus(hypotheses, references);
        int[] total = new int[CHAR_ORDER * STATS_PER_ORDER];
        for (int i = 0; i < hypotheses.size(); i++) {
            int[] segment = statistics(hypotheses.get(i), references.get(i));
            for (int k = 0; k < total.length; k++) {
                total[k] += segment[k];
            }
        }
        return fromStatistics(total);
    }

    /** Sentence chrF of {@code hypothesis} against its best reference, on a 0-100 scale. */
    public static double sentenceScore(String hypothesis, List<String> references) {
        Inputs.checkSentence(hypothesis, references);
        return fromStatistics(statistics(hypothesis, references));
    }

    /** The statistics of the best-scoring reference for one segment. */
    static int[] statistics(String hypothesis, List<String> references) {
        List<Map<String, Integer>> hypothesisNgrams = characterNgrams(hypothesis);
        int[] best = null;
        double bestScore = -1.0;
        for (String reference : references) {
            List<Map<String, Integer>> referenceNgrams = characterNgrams(reference);
            int[] stats = new int[CHAR_ORDER * STATS_PER_ORDER];
            for (int i = 0; i < CHAR_ORDER; i++) {
                Map<String, Integer> hyp = hypothesisNgrams.get(i);
                Map<String, Integer> ref = referenceNgrams.get(i);
                stats[STATS_PER_ORDER * i] = ref.isEmpty() ? 0 : Ngrams.total(hyp);
                stats[STATS_PER_ORDER * i + 1] = Ngrams.total(ref);
                stats[STATS_PER_ORDER * i + 2] = Ngrams.clippedMatches(hyp, ref);
            }
            double score = fromStatistics(stats);
            if (score > bestScore) {
                bestScore = score;
                best = stats;
            }
        }
        return best;
    }

    /** sacrebleu's {@code CHRF._compute_f_score} without epsilon smoothing. */
    static double fromStatistics(int[] stats) {
        double precision = 0.0;
        double recall = 0.0;
        int effectiveOrder = 0;
        for (int i = 0; i < CHAR_ORDER; i++) {
            int hyp = stats[STATS_PER_ORDER * i];
            int ref = stats[STATS_PER_ORDER * i + 1];
            int match = stats[STATS_PER_ORDER * i + 2];
            if (hyp > 0 && ref > 0) {
                precision += (double) match / hyp;
                recall += (double) match / ref;
                effectiveOrder++;
            }
        }
        if (effectiveOrder == 0) {
            return 0.0;
        }
        precision /= effectiveOrder;
        recall /= effectiveOrder;
        if (precision + recall == 0.0) {
            return 0.0;
        }
        double factor = BETA * BETA;
        double score = (1 + factor) * precision * recall;
        score /= factor * precision + recall;
        return 100 * score;
    }

    private static List<Map<String, Integer>> characterNgrams(String text) {
        int[] codePoints = PythonStrings.removeSpaces(text).codePoints().toArray();
        List<Map<String, Integer>> byOrder = new ArrayList<>(CHAR_ORDER);
        for (int order = 1; order <= CHAR_ORDER; order++) {
            byOrder.add(Ngrams.characters(codePoints, order));
        }
        return byOrder;
    }
}
