package io.kdflow.core.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** N-gram counting shared by the metrics (Python's {@code collections.Counter} of n-grams). */
final class Ngrams {

    /** Joins word n-grams; tokens never contain whitespace, so the key is unambiguous. */
    private static final String WORD_SEPARATOR = " ";

    private Ngrams() {
    }

    /** Counts of every word n-gram of length {@code order}. */
    static Map<String, Integer> words(List<String> tokens, int order) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + order <= tokens.size(); i++) {
            counts.merge(String.join(WORD_SEPARATOR, tokens.subList(i, i + order)), 1, Integer::sum);
        }
        return counts;
    }

    /** Counts of every character n-gram of length {@code order}; characters are code points, as in Python. */
    static Map<String, Integer> characters(int[] codePoints, int order) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + order <= codePoints.length; i++) {
            counts.merge(new String(codePoints, i, order), 1, Integer::sum);
        }
        return counts;
    }

    /** Sum of the counts. */
    static int total(Map<String, Integer> counts) {
        int total = 0;
        for (int count : counts.values()) {
            total += count;
        }
        return total;
    }

    /** Clipped matches: for each n-gram of {@code hypothesis}, the smaller of its two counts. */
    static int clippedMatches(Map<String, Integer> hypothesis, Map<String, Integer> reference) {
        int matches = 0;
        for (Map.Entry<String, Integer> entry : hypothesis.entrySet()) {
            Integer inReference = reference.get(entry.getKey());
            if (inReference != null) {
                matches += Math.min(entry.getValue(), inReference);
            }
        }
        return matches;
    }
}
