package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RougeTest {

    private final RougeTokenizer plain = new RougeTokenizer(null);

    @Test
    void shouldTokenizeLikeRougeScore() {
        assertThat(plain.tokenize("New-York's (big) apple!")).containsExactly("new", "york", "s", "big", "apple");
        assertThat(plain.tokenize("It's 3.14 -- isn't it?")).containsExactly("it", "s", "3", "14", "isn", "t", "it");
        assertThat(plain.tokenize("  MiXeD\tCase\n")).containsExactly("mixed", "case");
        assertThat(plain.tokenize("!!! ...")).isEmpty();
        assertThat(plain.tokenize("")).isEmpty();
    }

    @Test
    void shouldDropNonAsciiLettersAfterLowerCasingLikePython() {
        assertThat(plain.tokenize("Café naïve résumé.")).containsExactly("caf", "na", "ve", "r", "sum");
        // Python lower-cases KELVIN SIGN to 'k' and 'İ' to 'i' + combining dot, exactly as Locale.ROOT does.
        assertThat(plain.tokenize("\u212Aelvin \u0130stanbul")).containsExactly("kelvin", "i", "stanbul");
        assertThat(plain.tokenize("\u00C0B 日本 x")).containsExactly("b", "x");
    }

    @Test
    void shouldStemOnlyTokensLongerThanThreeCharacters() {
        RougeTokenizer stemming = new RougeTokenizer(new PorterStemmer());

        assertThat(stemming.tokenize("This was running; runs ran.")).containsExactly("thi", "was", "run", "run",
                "ran");
    }

    @Test
    void shouldMatchStemmedFormsOnlyWithStemming() {
        RougeScores withoutStemming = new Rouge().score("running runs ran", "run running ran");
        RougeScores withStemming = new Rouge(true).score("running runs ran", "run running ran");

        assertThat(withoutStemming.rougeL().fmeasure()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(withStemming.rouge1().fmeasure()).isEqualTo(1.0);
        assertThat(withStemming.rougeL().fmeasure()).isEqualTo(1.0);
    }

    @Test
    void shouldComputeNgramAndLcsScores() {
        RougeScores scores = new Rouge().score("the cat was found under the bed", "the cat was under the bed");

        assertThat(scores.rouge1()).isEqualTo(RougeScore.of(6.0 / 7, 6.0 / 6));
        assertThat(scores.rouge2()).isEqualTo(RougeScore.of(4.0 / 6, 4.0 / 5));
        assertThat(scores.rougeL()).isEqualTo(RougeScore.of(6.0 / 7, 6.0 / 6));
    }

    @Test
    void shouldTakeTheBestReferencePerVariantIndependently() {
        // rouge1 is best against the reordered reference, rouge2 and rougeL against the partial one.
        RougeScores best = new Rouge().scoreMulti("a b c d", List.of("a b c x y z", "d c b a"));

        assertThat(best.rouge1().fmeasure()).isEqualTo(1.0);
        assertThat(best.rouge2()).isEqualTo(RougeScore.of(2.0 / 3, 2.0 / 5));
        assertThat(best.rougeL()).isEqualTo(RougeScore.of(3.0 / 4, 3.0 / 6));
    }

    @Test
    void shouldKeepTheFirstReferenceOnAnF1Tie() {
        Rouge rouge = new Rouge();

        assertThat(rouge.scoreMulti("a b", List.of("a b c d", "a")).rouge1()).isEqualTo(RougeScore.of(1.0, 0.5));
        assertThat(rouge.scoreMulti("a b", List.of("a", "a b c d")).rouge1()).isEqualTo(RougeScore.of(0.5, 1.0));
    }

    @Test
    void shouldScoreZeroWhenEitherSideHasNoTokens() {
        Rouge rouge = new Rouge();
        RougeScores zero = new RougeScores(RougeScore.ZERO, RougeScore.ZERO, RougeScore.ZERO);

        assertThat(rouge.score("", "a reference")).isEqualTo(zero);
        assertThat(rouge.score("a prediction", "")).isEqualTo(zero);
        assertThat(rouge.score("???", "a reference")).isEqualTo(zero);
    }

    @Test
    void shouldSwapPrecisionAndRecallWhenPredictionAndReferenceSwap() {
        Rouge rouge = new Rouge();
        for (MetricFixture.Pair pair : MetricFixture.pairs()) {
            RougeScores forward = rouge.score(pair.hyp(), pair.ref());
            RougeScores backward = rouge.score(pair.ref(), pair.hyp());
            assertThat(backward.rouge1().recall()).isEqualTo(forward.rouge1().precision());
            assertThat(backward.rouge2().precision()).isEqualTo(forward.rouge2().recall());
            assertThat(backward.rougeL().fmeasure()).isEqualTo(forward.rougeL().fmeasure());
        }
    }

    @Test
    void shouldComputeLcsLength() {
        assertThat(Rouge.lcsLength(List.of("a", "b", "c", "d"), List.of("d", "c", "b", "a"))).isEqualTo(1);
        assertThat(Rouge.lcsLength(List.of("a", "x", "b", "y", "c"), List.of("a", "b", "c"))).isEqualTo(3);
        assertThat(Rouge.lcsLength(List.of(), List.of("a"))).isZero();
    }
}
