package io.kdflow.core.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The paper's stage scores on hand-computed values. */
class StageScoresTest {

    private static final Map<String, Double> TEACHER = Map.of("bleu", 17.0, "rouge", 42.0, "nll", 3.0);
    private static final Map<String, Double> BASELINE = Map.of("bleu", 15.0, "rouge", 38.0, "nll", 3.4);

    @Test
    void shouldAverageTheGapClosedOverTheMetricsWithNllCountingDownwards() {
        // bleu (18 - 15) / (17 - 15) = 150%; rouge (37 - 38) / (42 - 38) = -25%; nll (3.3 - 3.4) / (3.0 - 3.4) = 25%
        Map<String, Double> student = Map.of("bleu", 18.0, "rouge", 37.0, "nll", 3.3);

        double gap = StageScores.meanGapClosed(student, BASELINE, TEACHER, StageScores.METRICS).orElseThrow();

        assertThat(gap).isCloseTo((150 - 25 + 25) / 3.0, within(1e-9));
    }

    @Test
    void shouldLeaveOutAMetricWhereTeacherAndBaselineAreEqual() {
        Map<String, Double> teacher = Map.of("bleu", 17.0, "rouge", 38.0, "nll", 3.0);
        Map<String, Double> student = Map.of("bleu", 18.0, "rouge", 37.0, "nll", 3.3);

        double gap = StageScores.meanGapClosed(student, BASELINE, teacher, StageScores.METRICS).orElseThrow();

        assertThat(gap).as("rouge's gap is undefined: (150 + 25) / 2").isCloseTo(87.5, within(1e-9));
    }

    @Test
    void shouldHaveNoGapWhenNoMetricIsDefined() {
        assertThat(StageScores.meanGapClosed(Map.of("bleu", 1.0), BASELINE, BASELINE, StageScores.METRICS)).isEmpty();
        assertThat(StageScores.meanGapClosed(Map.of("chrf", 1.0), BASELINE, TEACHER, StageScores.METRICS)).isEmpty();
    }

    @Test
    void shouldGiveOneWinPerMetricToTheBestOptionAndOneToEachTiedOption() {
        Map<String, Double> a = Map.of("bleu", 16.0, "rouge", 40.0, "nll", 3.2);
        Map<String, Double> b = Map.of("bleu", 17.0, "rouge", 40.0, "nll", 3.1);
        Map<String, Double> c = Map.of("bleu", 15.0, "rouge", 39.0, "nll", 3.5);

        int[] wins = StageScores.wins(List.of(a, b, c), StageScores.METRICS);

        // bleu: b; rouge: a and b tie; nll (lower is better): b
        assertThat(wins).containsExactly(1, 3, 0);
    }

    @Test
    void shouldGiveNoWinForAMissingMetric() {
        Map<String, Double> a = Map.of("bleu", 16.0, "rouge", 40.0);
        Map<String, Double> b = Map.of("bleu", 15.0, "rouge", 41.0, "nll", 3.9);

        int[] wins = StageScores.wins(List.of(a, b), StageScores.METRICS);

        assertThat(wins).as("only b has an NLL, so it wins it however high").containsExactly(1, 2);
    }
}
