package io.kdflow.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the words that byte-level BPE merges inside, the way the Hugging Face
 * {@code ByteLevel} pre-tokenizer does with {@code use_regex=true} and {@code add_prefix_space=false}:
 * the GPT-2 pattern (contractions, letter runs, digit runs, other-symbol runs, each with at most one
 * leading space, and whitespace runs that leave their last space to the next word), then every word's
 * UTF-8 bytes mapped through {@link ByteLevelAlphabet}.
 */
public final class ByteLevelPreTokenizer {

    // UNICODE_CHARACTER_CLASS makes \s cover Unicode white space, as the Rust regex engine does.
    private static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private ByteLevelPreTokenizer() {
    }

    /** The byte-level words of {@code text}; their concatenation is the whole text. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = GPT2_SPLIT.matcher(text);
        while (matcher.find()) {
            String piece = text.substring(matcher.start(), matcher.end());
            words.add(ByteLevelAlphabet.encode(piece.getBytes(StandardCharsets.UTF_8)));
        }
        return words;
    }
}
