package io.kdflow.core.metrics;

import java.util.List;
import java.util.Locale;

/**
 * TER (translation edit rate) exactly as sacrebleu 2.x computes it with its defaults: no normalization, no
 * punctuation removal, no Asian support, case-insensitive.
 *
 * <ul>
 *   <li>Each segment is right-stripped, lower-cased and split on whitespace.</li>
 *   <li>Per segment the fewest edits over its references counts ({@link TranslationEditRate}), and the
 *       reference length is the mean length of its references.</li>
 *   <li>Score: {@code 100 * total edits / total reference length}; 100 when the references are all empty and
 *       some edit is needed, 0 when nothing is needed.</li>
 * </ul>
 * Lower-casing uses {@link String#toLowerCase(Locale)} with {@link Locale#ROOT}, which agrees with Python's
 * {@code str.lower()} on all but a few exotic code points.
 */
public final class Ter {

    private Ter() {
    }

    /** Corpus TER of {@code hypotheses} against {@code references.get(i)}. */
    public static TerScore corpusScore(List<String> hypotheses, List<List<String>> references) {
        Inputs.checkCorpus(hypotheses, references);
        long edits = 0;
        double refLength = 0.0;
        for (int i = 0; i < hypotheses.size(); i++) {
            double[] segment = statistics(hypotheses.get(i), references.get(i));
            edits += (long) segment[0];
            refLength += segment[1];
        }
        return fromStatistics(edits, refLength);
    }

    /** Sentence TER of {@code hypothesis} against its references. */
    public static TerScore sentenceScore(String hypothesis, List<String> references) {
        Inputs.checkSentence(hypothesis, references);
        double[] segment = statistics(hypothesis, references);
        return fromStatistics((long) segment[0], segment[1]);
    }

    /** [fewest edits over the references, mean reference length] for one segment. */
    static double[] statistics(String hypothesis, List<String> references) {
        List<String> hypothesisWords = words(hypothesis);
        int bestEdits = Integer.MAX_VALUE;
        int totalLength = 0;
        for (String reference : references) {
            List<String> referenceWords = words(reference);
            bestEdits = Math.min(bestEdits, TranslationEditRate.numEdits(hypothesisWords, referenceWords));
            totalLength += referenceWords.size();
        }
        return new double[] {bestEdits, (double) totalLength / references.size()};
    }

    private static TerScore fromStatistics(long edits, double refLength) {
        double score;
        if (refLength > 0) {
            score = edits / refLength;
        } else {
            score = edits > 0 ? 1.0 : 0.0;
        }
        return new TerScore(100 * score, (int) edits, refLength);
    }

    private static List<String> words(String text) {
        return PythonStrings.split(PythonStrings.rstrip(text).toLowerCase(Locale.ROOT));
    }
}
