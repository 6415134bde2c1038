package io.kdflow.core.tokenizer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte-level alphabet and the GPT-2 split, against what the Hugging Face ByteLevel pre-tokenizer gives. */
class ByteLevelPreTokenizerTest {

    @Test
    void shouldGiveEveryByteItsOwnVisibleCharacter() {
        Set<Character> symbols = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char symbol = ByteLevelAlphabet.charOf(b);
            assertThat(Character.isWhitespace(symbol)).as("byte %d", b).isFalse();
            symbols.add(symbol);
        }
        assertThat(symbols).hasSize(256);
        assertThat(ByteLevelAlphabet.charOf(' ')).isEqualTo('Ġ');
        assertThat(ByteLevelAlphabet.charOf('\n')).isEqualTo('Ċ');
        assertThat(ByteLevelAlphabet.charOf('a')).isEqualTo('a');
        assertThat(ByteLevelAlphabet.charOf(0xE9)).isEqualTo('é');
        assertThat(ByteLevelAlphabet.charOf(0xAD)).isEqualTo('Ń'); // soft hyphen is not kept
    }

    @Test
    void shouldSplitLikeTheHuggingFaceByteLevelPreTokenizer() {
        // Expected words from tokenizers 0.23.2: ByteLevel(add_prefix_space=False).pre_tokenize_str(text).
        assertThat(ByteLevelPreTokenizer.split("Hello world")).containsExactly("Hello", "Ġworld");
        assertThat(ByteLevelPreTokenizer.split("  two  spaces")).containsExactly("Ġ", "Ġtwo", "Ġ", "Ġspaces");
        assertThat(ByteLevelPreTokenizer.split("I'm sure they'll GO-2 x"))
                .containsExactly("I", "'m", "Ġsure", "Ġthey", "'ll", "ĠGO", "-", "2", "Ġx");
        assertThat(ByteLevelPreTokenizer.split("café 123,456!!")).containsExactly("cafÃ©", "Ġ123", ",", "456", "!!");
        assertThat(ByteLevelPreTokenizer.split("a\n\n b\u3000c")).containsExactly("a", "ĊĊ", "Ġb", "ãĢĢ", "c");
        assertThat(ByteLevelPreTokenizer.split("tab\there  ")).containsExactly("tab", "ĉ", "here", "ĠĠ");
        assertThat(ByteLevelPreTokenizer.split("")).isEmpty();
    }

    @Test
    void shouldKeepEveryByteOfRandomText() {
        Map<Character, Integer> byteOf = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            byteOf.put(ByteLevelAlphabet.charOf(b), b);
        }
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(30); j > 0; j--) {
                text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x2FFFF) + 0x80);
            }
            String original = text.toString().replaceAll("[\\uD800-\\uDFFF]", "x"); // no lone surrogates
            List<String> words = ByteLevelPreTokenizer.split(original);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            words.forEach(w -> w.chars().forEach(c -> bytes.write(byteOf.get((char) c))));
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(original);
        }
    }
}
