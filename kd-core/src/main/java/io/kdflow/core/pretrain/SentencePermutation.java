package io.kdflow.core.pretrain;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BART's sentence permutation on text. A sentence ends after a run of {@code .}, {@code !} or {@code ?}
 * (and any closing quotes or brackets right after it) that is followed by white space; text after the
 * last such end is one more sentence. The white space between sentences stays where it is, and so does
 * white space before the first and after the last sentence; only the sentences move. No abbreviation
 * list: "Mr. Smith" is two sentences, which for noise is harmless.
 */
public final class SentencePermutation {

    /** The end of a sentence: end punctuation, closing marks, then the white space to the next one. */
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+[\"'\u2019\u201d)\\]]*(\\s+)");

    private SentencePermutation() {
    }

    /** The sentences of {@code text}, without the white space around and between them. */
    public static List<String> sentences(String text) {
        return split(text).sentences;
    }

    /**
     * {@code text} with its sentences in a uniformly random order (Fisher-Yates); a text of one sentence
     * comes back unchanged.
     */
    public static String permute(String text, RandomGenerator random) {
        Split split = split(text);
        List<String> order = new ArrayList<>(split.sentences);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            order.set(j, order.set(i, order.get(j)));
        }
        StringBuilder out = new StringBuilder(text.length());
        out.append(split.separators.get(0));
        for (int i = 0; i < order.size(); i++) {
            out.append(order.get(i)).append(split.separators.get(i + 1));
        }
        return out.toString();
    }

    /** n sentences and the n + 1 white space runs around them (leading, between, trailing). */
    private record Split(List<String> sentences, List<String> separators) {
    }

    private static Split split(String text) {
        List<String> sentences = new ArrayList<>();
        List<String> separators = new ArrayList<>();
        int start = leadingSpace(text);
        separators.add(text.substring(0, start));
        Matcher end = SENTENCE_END.matcher(text);
        int from = start;
        while (from < text.length() && end.find(from)) {
            if (end.end() == text.length()) {
                break; // white space at the very end is the trailing separator
            }
            sentences.add(text.substring(start, end.start(1)));
            separators.add(end.group(1));
            start = end.end();
            from = start;
        }
        int trailingStart = text.length() - trailingSpace(text, start);
        if (trailingStart > start) {
            sentences.add(text.substring(start, trailingStart));
            separators.add(text.substring(trailingStart));
        } else {
            // no sentence: all white space (or empty); it is the leading separator alone
            separators.set(separators.size() - 1, separators.get(separators.size() - 1) + text.substring(start));
        }
        return new Split(sentences, separators);
    }

    private static int leadingSpace(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int trailingSpace(String text, int from) {
        int i = text.length();
        while (i > from && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return text.length() - i;
    }
}
