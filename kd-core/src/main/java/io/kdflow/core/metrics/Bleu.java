package io.kdflow.core.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU exactly as sacrebleu 2.x computes it with its defaults: {@link Tokenizer13a 13a} tokens, case kept,
 * n-grams up to 4, exponential smoothing ("exp", the NIST/mteval-v13a method), corpus-level statistics.
 *
 * <ul>
 *   <li>Each segment's hypothesis is right-stripped and tokenized; its n-gram counts are clipped by the
 *       largest count of that n-gram in any one reference.</li>
 *   <li>The effective reference length is the reference length closest to the hypothesis length; on a tie
 *       the shorter reference wins.</li>
 *   <li>Brevity penalty: {@code exp(1 - ref_len / sys_len)} when {@code sys_len < ref_len} (0 when
 *       {@code sys_len} is 0), otherwise 1.</li>
 *   <li>Precision of order n: {@code 100 * matches / total}; when matches are 0 the "exp" smoothing uses
 *       {@code 100 / (2^k * total)} for the k-th such order. An order with no hypothesis n-gram stops the
 *       loop; without effective order the missing precisions count as 0 and the score collapses to 0.</li>
 *   <li>Score: {@code bp * exp(mean of log precisions)}, and 0 when no n-gram of any order matches.</li>
 * </ul>
 * Corpus BLEU uses the full order 4; sentence BLEU uses sacrebleu's effective order (the mean runs over
 * the orders that have at least one hypothesis n-gram), as {@code sentence_bleu(..., use_effective_order=True)}.
 * Logarithms and exponentials use {@link StrictMath} so every JVM gives the same bits.
 */
public final class Bleu {

    /** The highest n-gram order, sacrebleu's {@code MAX_NGRAM_ORDER}. */
    public static final int MAX_NGRAM_ORDER = 4;

    /** sacrebleu's {@code my_log(0)}: a huge negative stand-in for log(0). */
    private static final double LOG_OF_ZERO = -9999999999.0;

    private Bleu() {
    }

    /**
     * Corpus BLEU of {@code hypotheses} against {@code references.get(i)} (one or more references per
     * hypothesis; an empty reference string counts as a reference of length 0).
     */
    public static BleuScore corpusScore(List<String> hypotheses, List<List<String>> references) {
        Inputs.checkCorpus(hypotheses, references);
        BleuStatistics total = BleuStatistics.zero(MAX_NGRAM_ORDER);
        for (int i = 0; i < hypotheses.size(); i++) {
            total = total.plus(statistics(hypotheses.get(i), references.get(i)));
        }
        return fromStatistics(total, false);
    }

    /** Sentence BLEU with effective order, as sacrebleu's {@code sentence_bleu} with {@code use_effective_order=True}. */
    public static BleuScore sentenceScore(String hypothesis, List<String> references) {
        Inputs.checkSentence(hypothesis, references);
        return fromStatistics(statistics(hypothesis, references), true);
    }

    /** The segment statistics of one hypothesis against its references. */
    static BleuStatistics statistics(String hypothesis, List<String> references) {
        Map<String, Integer> referenceCounts = new HashMap<>();
        List<Integer> referenceLengths = new ArrayList<>(references.size());
        for (String reference : references) {
            List<String> tokens = Tokenizer13a.tokenize(PythonStrings.rstrip(reference));
            referenceLengths.add(tokens.size());
            for (int order = 1; order <= MAX_NGRAM_ORDER; order++) {
                Ngrams.words(tokens, order).forEach((ngram, count) -> referenceCounts.merge(ngram, count, Math::max));
            }
        }
        List<String> tokens = Tokenizer13a.tokenize(PythonStrings.rstrip(hypothesis));
        int[] matches = new int[MAX_NGRAM_ORDER];
        int[] totals = new int[MAX_NGRAM_ORDER];
        for (int order = 1; order <= MAX_NGRAM_ORDER; order++) {
            Map<String, Integer> counts = Ngrams.words(tokens, order);
            totals[order - 1] = Ngrams.total(counts);
            matches[order - 1] = Ngrams.clippedMatches(counts, referenceCounts);
        }
        return new BleuStatistics(tokens.size(), closestLength(tokens.size(), referenceLengths), matches, totals);
    }

    /** The reference length closest to {@code hypothesisLength}; ties go to the shorter reference. */
    static int closestLength(int hypothesisLength, List<Integer> referenceLengths) {
        int closest = referenceLengths.get(0);
        for (int length : referenceLengths) {
            int diff = Math.abs(hypothesisLength - length);
            int bestDiff = Math.abs(hypothesisLength - closest);
            if (diff < bestDiff || (diff == bestDiff && length < closest)) {
                closest = length;
            }
        }
        return closest;
    }

    /** sacrebleu's {@code compute_bleu} with "exp" smoothing. */
    static BleuScore fromStatistics(BleuStatistics stats, boolean effectiveOrder) {
        int sysLen = stats.sysLen();
        int refLen = stats.refLen();
        int[] matches = stats.matches();
        int[] totals = stats.totals();
        double bp;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? StrictMath.exp(1 - (double) refLen / sysLen) : 0.0;
        } else {
            bp = 1.0;
        }
        double[] precisions = new double[MAX_NGRAM_ORDER];
        double score = 0.0;
        if (anyPositive(matches)) {
            double smoothing = 1.0;
            int order = MAX_NGRAM_ORDER;
            for (int n = 1; n <= MAX_NGRAM_ORDER; n++) {
                if (totals[n - 1] == 0) {
                    break;
                }
                if (effectiveOrder) {
                    order = n;
                }
                if (matches[n - 1] == 0) {
                    smoothing *= 2;
                    precisions[n - 1] = 100.0 / (smoothing * totals[n - 1]);
                } else {
                    precisions[n - 1] = 100.0 * matches[n - 1] / totals[n - 1];
                }
            }
            double logSum = 0.0;
            for (int n = 0; n < order; n++) {
                logSum += precisions[n] == 0.0 ? LOG_OF_ZERO : StrictMath.log(precisions[n]);
            }
            score = bp * StrictMath.exp(logSum / order);
        }
        return new BleuScore(score, boxed(matches), boxed(totals), boxed(precisions), bp, sysLen, refLen);
    }

    private static boolean anyPositive(int[] values) {
        for (int value : values) {
            if (value != 0) {
                return true;
            }
        }
        return false;
    }

    private static List<Integer> boxed(int[] values) {
        List<Integer> list = new ArrayList<>(values.length);
        for (int value : values) {
            list.add(value);
        }
        return list;
    }

    private static List<Double> boxed(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double value : values) {
            list.add(value);
        }
        return list;
    }
}
