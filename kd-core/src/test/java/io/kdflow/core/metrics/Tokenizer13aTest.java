package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class Tokenizer13aTest {

    /** The ASCII symbols 13a splits off unconditionally (mteval-v13a's language-dependent class). */
    private static final String SYMBOLS = "!\"#$%&()*+/:;<=>?@[\\]^_`{|}~";

    @Test
    void shouldSplitPunctuationButKeepApostrophesAndHyphensInsideWords() {
        assertThat(Tokenizer13a.tokenize("Hello, world! It's a well-known (test)."))
                .containsExactly("Hello", ",", "world", "!", "It's", "a", "well-known", "(", "test", ")", ".");
    }

    @Test
    void shouldKeepPeriodsAndCommasBetweenDigits() {
        assertThat(Tokenizer13a.tokenize("It costs 1,000.50 dollars, or 3.14 each."))
                .containsExactly("It", "costs", "1,000.50", "dollars", ",", "or", "3.14", "each", ".");
    }

    @Test
    void shouldSplitPeriodAfterDigitAtEndAndCommaBeforeLetter() {
        assertThat(Tokenizer13a.tokenize("version 3. and 2,x")).containsExactly("version", "3", ".", "and", "2",
                ",", "x");
    }

    @Test
    void shouldSplitDashOnlyAfterDigit() {
        assertThat(Tokenizer13a.tokenize("1990-2000 and e-mail -5")).containsExactly("1990", "-", "2000", "and",
                "e-mail", "-5");
    }

    @Test
    void shouldSplitEveryAsciiSymbolExceptApostropheCommaHyphenPeriodBetweenLetters() {
        for (char c = '!'; c <= '~'; c++) {
            if (Character.isLetterOrDigit(c)) {
                continue;
            }
            List<String> tokens = Tokenizer13a.tokenize("a" + c + "b");
            if (SYMBOLS.indexOf(c) >= 0 || c == ',' || c == '.') {
                assertThat(tokens).as("'%s' between letters", c).containsExactly("a", String.valueOf(c), "b");
            } else {
                assertThat(tokens).as("'%s' between letters", c).containsExactly("a" + c + "b");
            }
        }
    }

    @Test
    void shouldSplitSymbolsButNotCommaOrPeriodBetweenDigits() {
        for (char c = '!'; c <= '~'; c++) {
            if (Character.isLetterOrDigit(c)) {
                continue;
            }
            List<String> tokens = Tokenizer13a.tokenize("1" + c + "2");
            if (SYMBOLS.indexOf(c) >= 0 || c == '-') {
                assertThat(tokens).as("'%s' between digits", c).containsExactly("1", String.valueOf(c), "2");
            } else {
                assertThat(tokens).as("'%s' between digits", c).containsExactly("1" + c + "2");
            }
        }
    }

    @Test
    void shouldUnescapeTheFourEntitiesInMtevalOrder() {
        assertThat(Tokenizer13a.tokenize("&quot;hi&quot; &amp; &lt;b&gt;"))
                .containsExactly("\"", "hi", "\"", "&", "<", "b", ">");
        // &quot; is replaced before &amp;, so a double escape is undone only once.
        assertThat(Tokenizer13a.tokenize("&amp;quot;")).containsExactly("&", "quot", ";");
        assertThat(Tokenizer13a.tokenize("&apos;")).containsExactly("&", "apos", ";");
    }

    @Test
    void shouldDropSkippedTagsAndJoinHyphenatedLines() {
        assertThat(Tokenizer13a.tokenize("a <skipped> hyphen-\nated\nline")).containsExactly("a", "hyphenated",
                "line");
    }

    @Test
    void shouldTreatUnicodeLettersAsWordCharacters() {
        assertThat(Tokenizer13a.tokenize("Café naïve résumé.")).containsExactly("Café", "naïve", "résumé", ".");
        assertThat(Tokenizer13a.tokenize("a—b «c»")).containsExactly("a—b", "«c»");
        assertThat(Tokenizer13a.tokenize("ok\uD83D\uDE00.")).containsExactly("ok\uD83D\uDE00", ".");
    }

    @Test
    void shouldSplitOnPythonWhitespaceIncludingNoBreakSpace() {
        assertThat(Tokenizer13a.tokenize("a\u00A0b\u2003c\u3000d\te")).containsExactly("a", "b", "c", "d", "e");
        assertThat(Tokenizer13a.tokenize("zero\u200Bwidth")).containsExactly("zero\u200Bwidth");
    }

    @Test
    void shouldGiveNoTokensForEmptyOrBlankText() {
        assertThat(Tokenizer13a.tokenize("")).isEmpty();
        assertThat(Tokenizer13a.tokenize(" \t\n")).isEmpty();
        assertThat(Tokenizer13a.normalize("  a ,b  ")).isEqualTo("a , b");
    }
}
