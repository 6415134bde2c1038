package io.kdflow.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Python {@code str} operations the reference metrics rely on, with Python's exact semantics.
 *
 * <p>Python's notion of whitespace ({@code str.isspace()}) differs from Java's
 * {@link Character#isWhitespace(int)}: it includes the no-break spaces U+00A0, U+2007 and U+202F and
 * NEL U+0085. Tokenizers that split with Python's {@code str.split()} must use this definition to count
 * the same tokens.
 */
final class PythonStrings {

    private PythonStrings() {
    }

    /** Python's {@code str.isspace()} for one code point. */
    static boolean isSpace(int codePoint) {
        if (codePoint <= 0x20) {
            return codePoint == 0x20 || (codePoint >= 0x09 && codePoint <= 0x0D)
                    || (codePoint >= 0x1C && codePoint <= 0x1F);
        }
        return codePoint == 0x85 || codePoint == 0xA0 || codePoint == 0x1680
                || (codePoint >= 0x2000 && codePoint <= 0x200A)
                || codePoint == 0x2028 || codePoint == 0x2029 || codePoint == 0x202F
                || codePoint == 0x205F || codePoint == 0x3000;
    }

    /** Python's {@code text.split()}: maximal runs of non-whitespace, no empty tokens. */
    static List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            if (isSpace(codePoint)) {
                if (start >= 0) {
                    tokens.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            tokens.add(text.substring(start));
        }
        return tokens;
    }

    /** Python's {@code text.rstrip()}: trailing whitespace removed. */
    static String rstrip(String text) {
        int end = text.length();
        while (end > 0) {
            int codePoint = text.codePointBefore(end);
            if (!isSpace(codePoint)) {
                break;
            }
            end -= Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    /** Python's {@code "".join(text.split())}: every whitespace code point removed. */
    static String removeSpaces(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(cp -> !isSpace(cp)).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Whether Python would see {@code text} as empty after {@code strip()}. */
    static boolean isBlank(String text) {
        return text.codePoints().allMatch(PythonStrings::isSpace);
    }
}
