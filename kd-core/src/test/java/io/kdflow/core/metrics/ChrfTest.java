package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChrfTest {

    @Test
    void shouldIgnoreAllPythonWhitespace() {
        assertThat(Chrf.sentenceScore("a b\u00A0c\td", List.of("abcd"))).isEqualTo(100.0);
    }

    @Test
    void shouldCountCharactersAsCodePoints() {
        // "😀a" vs "😀b": order 1 P = R = 1/2, order 2 P = R = 0, no higher orders -> F = 0.25.
        assertThat(Chrf.sentenceScore("\uD83D\uDE00a", List.of("\uD83D\uDE00b"))).isCloseTo(25.0, within(1e-12));
    }

    @Test
    void shouldAverageOnlyOverOrdersPresentInBothSides() {
        // "ab" vs "abc": order 1 P=1 R=2/3, order 2 P=1 R=1/2, orders 3+ absent from the hypothesis.
        double precision = 1.0;
        double recall = (2.0 / 3 + 1.0 / 2) / 2;
        double expected = 100 * 5 * precision * recall / (4 * precision + recall);

        assertThat(Chrf.sentenceScore("ab", List.of("abc"))).isCloseTo(expected, within(1e-12));
    }

    @Test
    void shouldPickTheBestReferencePerSentence() {
        assertThat(Chrf.sentenceScore("the cat", List.of("a dog", "the cat"))).isEqualTo(100.0);
        assertThat(Chrf.sentenceScore("the cat", List.of("the cat", "a dog"))).isEqualTo(100.0);
    }

    @Test
    void shouldSumTheChosenReferencesStatisticsForTheCorpus() {
        List<String> hyps = List.of("the cat sat", "a dog barked");
        double multi = Chrf.corpusScore(hyps, List.of(List.of("a mouse", "the cat sat down"),
                List.of("a dog barks", "zzz")));
        double best = Chrf.corpusScore(hyps, List.of(List.of("the cat sat down"), List.of("a dog barks")));

        assertThat(multi).isEqualTo(best);
    }

    @Test
    void shouldGiveZeroWhenEitherSideIsEmpty() {
        assertThat(Chrf.sentenceScore("", List.of("reference"))).isEqualTo(0.0);
        assertThat(Chrf.sentenceScore("hypothesis", List.of(""))).isEqualTo(0.0);
        assertThat(Chrf.sentenceScore("  ", List.of(" "))).isEqualTo(0.0);
    }

    @Test
    void shouldBeCaseSensitive() {
        assertThat(Chrf.sentenceScore("ABC", List.of("abc"))).isEqualTo(0.0);
    }
}
