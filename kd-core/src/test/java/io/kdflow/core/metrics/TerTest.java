package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TerTest {

    @Test
    void shouldCountAMovedBlockAsOneShift() {
        assertThat(Ter.sentenceScore("c a b", List.of("a b c")).numEdits()).isEqualTo(1);
        assertThat(Ter.sentenceScore("the cat sat on the mat today", List.of("today the cat sat on the mat"))
                .numEdits()).isEqualTo(1);
        assertThat(Ter.sentenceScore("one two three four five six", List.of("four five six one two three"))
                .score()).isCloseTo(100.0 / 6, within(1e-12));
    }

    @Test
    void shouldBeCaseInsensitive() {
        assertThat(Ter.sentenceScore("THE Cat", List.of("the cat")).score()).isEqualTo(0.0);
    }

    @Test
    void shouldHandleEmptySides() {
        TerScore emptyReference = Ter.sentenceScore("a b c d", List.of(""));
        assertThat(emptyReference.numEdits()).isEqualTo(4);
        assertThat(emptyReference.score()).isEqualTo(100.0);
        assertThat(Ter.sentenceScore("", List.of("a b")).score()).isEqualTo(100.0);
        assertThat(Ter.sentenceScore("", List.of("")).score()).isEqualTo(0.0);
    }

    @Test
    void shouldTakeTheFewestEditsAndTheMeanReferenceLength() {
        TerScore score = Ter.sentenceScore("a b c", List.of("a b c d e", "x"));

        assertThat(score.numEdits()).isEqualTo(2);
        assertThat(score.refLength()).isEqualTo(3.0);
        assertThat(score.score()).isCloseTo(200.0 / 3, within(1e-12));
    }

    @Test
    void shouldNeverExceedThePlainEditDistanceOnLongShuffledSentences() {
        // Long inputs exercise the beam and the 1000-candidate cap; shifts only ever lower the edit count.
        Random random = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            List<String> reference = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                reference.add("w" + random.nextInt(40));
            }
            List<String> hypothesis = new ArrayList<>(reference);
            Collections.rotate(hypothesis.subList(10, 60), 7);
            hypothesis.remove(90);
            int withShifts = TranslationEditRate.numEdits(hypothesis, reference);
            int plain = new BeamEditDistance(reference).compute(hypothesis).distance();

            assertThat(withShifts).isPositive().isLessThanOrEqualTo(plain);
        }
    }

    @Test
    void shouldShiftBlocksLikeSacrebleu() {
        List<String> words = List.of("a", "b", "c", "d", "e");
        assertThat(TranslationEditRate.shift(words, 3, 2, 0)).containsExactly("d", "e", "a", "b", "c");
        assertThat(TranslationEditRate.shift(words, 0, 2, 4)).containsExactly("c", "d", "a", "b", "e");
        // A target right after the block lands one block further, as in sacrebleu.
        assertThat(TranslationEditRate.shift(words, 1, 2, 3)).containsExactly("a", "d", "e", "b", "c");
        assertThat(TranslationEditRate.shift(words, 3, 2, 5)).containsExactly("a", "b", "c", "d", "e");
    }
}
