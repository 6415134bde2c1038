package io.kdflow.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GapClosedTest {

    @Test
    void shouldGiveTheShareOfTheTeacherBaselineGap() {
        assertThat(GapClosed.percent(26, 22, 30).getAsDouble()).isCloseTo(50.0, within(1e-12));
        assertThat(GapClosed.percent(30, 22, 30).getAsDouble()).isCloseTo(100.0, within(1e-12));
        assertThat(GapClosed.percent(22, 22, 30).getAsDouble()).isZero();
    }

    @Test
    void shouldGoBelowZeroAndAboveHundredWhenTheStudentLeavesTheGap() {
        assertThat(GapClosed.percent(20, 22, 30).getAsDouble()).isCloseTo(-25.0, within(1e-12));
        assertThat(GapClosed.percent(32, 22, 30).getAsDouble()).isCloseTo(125.0, within(1e-12));
    }

    @Test
    void shouldWorkForMetricsWhereLowerIsBetter() {
        // NLL: teacher 1.0, baseline 2.0, student 1.25 closes three quarters of the gap.
        assertThat(GapClosed.percent(1.25, 2.0, 1.0).getAsDouble()).isCloseTo(75.0, within(1e-12));
    }

    @Test
    void shouldBeUndefinedWhenTeacherAndBaselineScoreTheSame() {
        assertThat(GapClosed.percent(25, 30, 30)).isEmpty();
        assertThat(GapClosed.percent(30, 30, 30)).isEmpty();
    }

    @Test
    void shouldNameEachDefinedGapAfterItsMetric() {
        Map<String, Double> gaps = GapClosed.of(Map.of("bleu", 26.0, "nll", 1.5, "chrf", 50.0),
                Map.of("bleu", 30.0, "nll", 1.0, "chrf", 50.0), Map.of("bleu", 22.0, "nll", 2.0, "chrf", 50.0),
                List.of("nll", "bleu", "chrf", "rouge"));

        assertThat(gaps).containsExactly(Map.entry("gap_closed_nll", 50.0), Map.entry("gap_closed_bleu", 50.0));
    }
}
