package io.kdflow.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * rouge-score's default tokenizer: lower-case, every run of characters outside {@code [a-z0-9]} becomes a
 * space, split on spaces, optionally stem tokens longer than 3 characters, and drop empty tokens.
 *
 * <p>Because only ASCII letters and digits survive, accented words fall apart ("café" gives "caf"), exactly
 * as in rouge-score.
 */
final class RougeTokenizer {

    /** rouge-score only stems tokens longer than this. */
    private static final int MIN_STEMMED_LENGTH = 4;

    private final PorterStemmer stemmer;

    /** A tokenizer that stems with {@code stemmer}, or does not stem when it is null. */
    RougeTokenizer(PorterStemmer stemmer) {
        this.stemmer = stemmer;
    }

    List<String> tokenize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean alphanumeric = i < lower.length() && isAsciiAlphanumeric(lower.charAt(i));
            if (alphanumeric && start < 0) {
                start = i;
            } else if (!alphanumeric && start >= 0) {
                String token = maybeStem(lower.substring(start, i));
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
                start = -1;
            }
        }
        return tokens;
    }

    private String maybeStem(String token) {
        if (stemmer == null || token.length() < MIN_STEMMED_LENGTH) {
            return token;
        }
        return stemmer.stem(token);
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
