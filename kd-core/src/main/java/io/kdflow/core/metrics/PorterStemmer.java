package io.kdflow.core.metrics;

import java.util.Locale;
import java.util.Map;

/**
 * The Porter suffix-stripping stemmer (Porter 1980) in the three variants that NLTK's {@code PorterStemmer}
 * offers. Google's rouge-score builds {@code nltk.stem.porter.PorterStemmer()} when stemming is on, which
 * means {@link Mode#NLTK_EXTENSIONS}; that is the default here.
 *
 * <p>Words are lower-cased first (as NLTK's {@code stem(word)} does); vowels are {@code a e i o u}, and
 * {@code y} is a vowel after a consonant.
 */
public final class PorterStemmer {

    /** Which published variant of the algorithm to run (NLTK's {@code mode}). */
    public enum Mode {
        /** Exactly the 1980 paper. */
        ORIGINAL_ALGORITHM,
        /** The paper plus the changes in Martin Porter's own reference implementations. */
        MARTIN_EXTENSIONS,
        /** Martin's extensions plus NLTK's (irregular forms, "ies"/"ied" of short words, y to i, ...). */
        NLTK_EXTENSIONS
    }

    /** NLTK's irregular forms, checked before any rule in {@link Mode#NLTK_EXTENSIONS}. */
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("sky", "sky"), Map.entry("skies", "sky"),
            Map.entry("dying", "die"), Map.entry("lying", "lie"), Map.entry("tying", "tie"),
            Map.entry("news", "news"),
            Map.entry("innings", "inning"), Map.entry("inning", "inning"),
            Map.entry("outings", "outing"), Map.entry("outing", "outing"),
            Map.entry("cannings", "canning"), Map.entry("canning", "canning"),
            Map.entry("howe", "howe"),
            Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"), Map.entry("succeed", "succeed"));

    private final Mode mode;

    /** A stemmer in NLTK's default mode, the one rouge-score uses. */
    public PorterStemmer() {
        this(Mode.NLTK_EXTENSIONS);
    }

    public PorterStemmer(Mode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** The stem of {@code word}, lower-cased first as NLTK does. */
    public String stem(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        if (mode == Mode.NLTK_EXTENSIONS && IRREGULAR.containsKey(word)) {
            return IRREGULAR.get(lower);
        }
        if (mode != Mode.ORIGINAL_ALGORITHM && word.codePointCount(0, word.length()) <= 2) {
            // Martin's implementations leave words of one or two letters alone.
            return lower;
        }
        String stem = step1a(lower);
        stem = step1b(stem);
        stem = step1c(stem);
        stem = step2(stem);
        stem = step3(stem);
        stem = step4(stem);
        stem = step5a(stem);
        return step5b(stem);
    }

    private boolean nltk() {
        return mode == Mode.NLTK_EXTENSIONS;
    }

    // ---- the paper's predicates ----

    private static boolean isConsonant(String word, int i) {
        char c = word.charAt(i);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
            return false;
        }
        if (c == 'y') {
            return i == 0 || !isConsonant(word, i - 1);
        }
        return true;
    }

    /** The paper's m: the number of vowel-run/consonant-run pairs in {@code stem}. */
    private static int measure(String stem) {
        int m = 0;
        for (int i = 1; i < stem.length(); i++) {
            if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) {
                m++;
            }
        }
        return m;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) {
            if (!isConsonant(stem, i)) {
                return true;
            }
        }
        return false;
    }

    /** The paper's *d: ends with a double consonant. */
    private static boolean endsDoubleConsonant(String word) {
        int n = word.length();
        return n >= 2 && word.charAt(n - 1) == word.charAt(n - 2) && isConsonant(word, n - 1);
    }

    /** The paper's *o: ends consonant-vowel-consonant, the last not w, x or y (NLTK: also a 2-letter vowel-consonant). */
    private boolean endsCvc(String word) {
        int n = word.length();
        if (n >= 3 && isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1)) {
            char last = word.charAt(n - 1);
            if (last != 'w' && last != 'x' && last != 'y') {
                return true;
            }
        }
        return nltk() && n == 2 && !isConsonant(word, 0) && isConsonant(word, 1);
    }

    private static String cut(String word, int suffixLength) {
        return word.substring(0, word.length() - suffixLength);
    }

    // ---- the steps ----

    private String step1a(String word) {
        if (nltk() && word.endsWith("ies") && word.length() == 4) {
            return cut(word, 3) + "ie";
        }
        if (word.endsWith("sses")) {
            return cut(word, 2);
        }
        if (word.endsWith("ies")) {
            return cut(word, 2);
        }
        if (word.endsWith("ss")) {
            return word;
        }
        if (word.endsWith("s")) {
            return cut(word, 1);
        }
        return word;
    }

    private String step1b(String word) {
        if (nltk() && word.endsWith("ied")) {
            return cut(word, 3) + (word.length() == 4 ? "ie" : "i");
        }
        if (word.endsWith("eed")) {
            return measure(cut(word, 3)) > 0 ? cut(word, 1) : word;
        }
        String stem;
        if (word.endsWith("ed") && containsVowel(cut(word, 2))) {
            stem = cut(word, 2);
        } else if (word.endsWith("ing") && containsVowel(cut(word, 3))) {
            stem = cut(word, 3);
        } else {
            return word;
        }
        if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) {
            return stem + "e";
        }
        if (endsDoubleConsonant(stem)) {
            char last = stem.charAt(stem.length() - 1);
            return last == 'l' || last == 's' || last == 'z' ? stem : cut(stem, 1);
        }
        if (measure(stem) == 1 && endsCvc(stem)) {
            return stem + "e";
        }
        return stem;
    }

    private String step1c(String word) {
        if (!word.endsWith("y")) {
            return word;
        }
        String stem = cut(word, 1);
        boolean applies = nltk()
                ? stem.length() > 1 && isConsonant(stem, stem.length() - 1)
                : containsVowel(stem);
        return applies ? stem + "i" : word;
    }

    private String step2(String word) {
        if (nltk() && word.endsWith("alli") && measure(cut(word, 4)) > 0) {
            return step2(cut(word, 2));
        }
        String[][] rules = {
            {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
            mode == Mode.ORIGINAL_ALGORITHM ? new String[] {"abli", "able"} : new String[] {"bli", "ble"},
            {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"}, {"ization", "ize"},
            {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"}, {"fulness", "ful"},
            {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"},
        };
        for (String[] rule : rules) {
            if (word.endsWith(rule[0])) {
                String stem = cut(word, rule[0].length());
                return measure(stem) > 0 ? stem + rule[1] : word;
            }
        }
        if (nltk() && word.endsWith("fulli")) {
            String stem = cut(word, 5);
            return measure(stem) > 0 ? stem + "ful" : word;
        }
        if (mode != Mode.ORIGINAL_ALGORITHM && word.endsWith("logi")) {
            // NLTK keeps the 'l' with the stem for the measure, so "geologi" and "theologi" both qualify.
            String measured = nltk() ? cut(word, 3) : cut(word, 4);
            return measure(measured) > 0 ? cut(word, 1) : word;
        }
        return word;
    }

    private static String step3(String word) {
        String[][] rules = {
            {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""},
            {"ness", ""},
        };
        for (String[] rule : rules) {
            if (word.endsWith(rule[0])) {
                String stem = cut(word, rule[0].length());
                return measure(stem) > 0 ? stem + rule[1] : word;
            }
        }
        return word;
    }

    private static String step4(String word) {
        String[] suffixes = {
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
            "ate", "iti", "ous", "ive", "ize",
        };
        for (String suffix : suffixes) {
            if (word.endsWith(suffix)) {
                String stem = cut(word, suffix.length());
                boolean applies = measure(stem) > 1;
                if (suffix.equals("ion")) {
                    char last = stem.isEmpty() ? ' ' : stem.charAt(stem.length() - 1);
                    applies = applies && (last == 's' || last == 't');
                }
                return applies ? stem : word;
            }
        }
        return word;
    }

    private String step5a(String word) {
        if (word.endsWith("e")) {
            String stem = cut(word, 1);
            int m = measure(stem);
            if (m > 1 || (m == 1 && !endsCvc(stem))) {
                return stem;
            }
        }
        return word;
    }

    private static String step5b(String word) {
        if (word.endsWith("ll") && measure(cut(word, 1)) > 1) {
            return cut(word, 1);
        }
        return word;
    }
}
