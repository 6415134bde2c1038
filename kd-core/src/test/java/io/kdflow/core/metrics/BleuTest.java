package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BleuTest {

    @Test
    void shouldClipEachNgramByItsLargestCountInAnyOneReference() {
        BleuScore score = Bleu.sentenceScore("the the the", List.of("the cat", "the the dog"));

        assertThat(score.counts()).containsExactly(2, 1, 0, 0);
        assertThat(score.totals()).containsExactly(3, 2, 1, 0);
    }

    @Test
    void shouldTakeTheClosestReferenceLengthAndTheShorterOneOnATie() {
        // 4 hypothesis tokens; references of 3 and 5 tokens are equally close.
        assertThat(Bleu.sentenceScore("a b c d", List.of("x y z w v", "x y z")).refLen()).isEqualTo(3);
        assertThat(Bleu.sentenceScore("a b c d", List.of("x y z", "x y z w v")).refLen()).isEqualTo(3);
        assertThat(Bleu.sentenceScore("a b c d", List.of("x y z w v u", "x y z w v")).refLen()).isEqualTo(5);
        assertThat(Bleu.closestLength(4, List.of(7, 2, 6, 3))).isEqualTo(3);
    }

    @Test
    void shouldScoreHundredWhenAnyReferenceMatchesExactly() {
        BleuScore score = Bleu.sentenceScore("the cat sat on the mat", List.of("a dog", "the cat sat on the mat"));

        assertThat(score.score()).isCloseTo(100.0, within(1e-9));
        assertThat(score.bp()).isEqualTo(1.0);
    }

    @Test
    void shouldUseEffectiveOrderForSentencesButFullOrderForCorpora() {
        assertThat(Bleu.sentenceScore("a b", List.of("a b")).score()).isCloseTo(100.0, within(1e-9));
        // No 3-gram in the corpus: sacrebleu's corpus BLEU is 0 without effective order.
        assertThat(Bleu.corpusScore(List.of("a b"), List.of(List.of("a b"))).score()).isEqualTo(0.0);
    }

    @Test
    void shouldSmoothZeroMatchOrdersExponentially() {
        // counts [3, 0, 0, 0] of totals [3, 2, 1, 0]: precisions 100, 100/(2*2), 100/(4*1), order 3 (effective).
        BleuScore score = Bleu.sentenceScore("a b c", List.of("c b a"));

        assertThat(score.precisions()).containsExactly(100.0, 25.0, 25.0, 0.0);
        assertThat(score.score()).isCloseTo(Math.cbrt(100.0 * 25.0 * 25.0), within(1e-9));
    }

    @Test
    void shouldApplyTheBrevityPenaltyToShortHypotheses() {
        BleuScore score = Bleu.sentenceScore("a b c d", List.of("a b c d e f g h"));

        assertThat(score.bp()).isCloseTo(Math.exp(1 - 8.0 / 4), within(1e-15));
        assertThat(score.score()).isCloseTo(100 * Math.exp(1 - 8.0 / 4), within(1e-9));
    }

    @Test
    void shouldGiveZeroForEmptyHypothesisOrEmptyReference() {
        BleuScore emptyHypothesis = Bleu.sentenceScore("", List.of("a reference"));
        assertThat(emptyHypothesis.score()).isEqualTo(0.0);
        assertThat(emptyHypothesis.bp()).isEqualTo(0.0);
        assertThat(Bleu.sentenceScore("a hypothesis", List.of("")).score()).isEqualTo(0.0);
    }

    @Test
    void shouldSumSegmentStatisticsIntoTheCorpusScore() {
        List<String> hyps = List.of("the cat sat", "on the mat today", "");
        List<List<String>> refs = List.of(List.of("the cat sat down"), List.of("on the mat", "on a mat today"),
                List.of("nothing"));

        BleuScore corpus = Bleu.corpusScore(hyps, refs);

        int sysLen = 0;
        int refLen = 0;
        for (int i = 0; i < hyps.size(); i++) {
            BleuScore sentence = Bleu.sentenceScore(hyps.get(i), refs.get(i));
            sysLen += sentence.sysLen();
            refLen += sentence.refLen();
        }
        assertThat(corpus.sysLen()).isEqualTo(sysLen).isEqualTo(7);
        assertThat(corpus.refLen()).isEqualTo(refLen).isEqualTo(4 + 4 + 1);
    }

    @Test
    void shouldBeCaseSensitive() {
        assertThat(Bleu.sentenceScore("The Cat", List.of("the cat")).score()).isEqualTo(0.0);
    }

    @Test
    void shouldRejectMismatchedOrMissingInputsWithAClearMessage() {
        assertThatThrownBy(() -> Bleu.corpusScore(List.of("a", "b"), List.of(List.of("a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2 hypotheses but 1");
        assertThatThrownBy(() -> Bleu.corpusScore(List.of("a"), List.of(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("references[0] is empty");
        assertThatThrownBy(() -> Bleu.sentenceScore(null, List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hypothesis is null");
    }
}
