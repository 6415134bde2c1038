package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The final table, the gap closed (higher- and lower-is-better) and the speed-up from three models' reports. */
class FinalComparisonTest {

    private static final FinalComparison.Model TEACHER = new FinalComparison.Model("teacher",
            Map.of("bleu", 20.0, "rouge", 40.0, "chrf", 45.0, "nll", 2.0),
            Map.of("bleu", 18.0, "rouge", 38.0, "chrf", 44.0, "nll", 2.2, "params", 9_000_000.0, "latency_ms_p50", 30.0));
    private static final FinalComparison.Model BASELINE = new FinalComparison.Model("CE student",
            Map.of("bleu", 10.0, "rouge", 30.0, "chrf", 35.0, "nll", 3.0),
            Map.of("bleu", 8.0, "rouge", 28.0, "chrf", 34.0, "nll", 3.2, "params", 6_000_000.0, "latency_ms_p50", 12.0));
    private static final FinalComparison.Model STUDENT = new FinalComparison.Model("KD student",
            Map.of("bleu", 15.0, "rouge", 35.0, "chrf", 40.0, "nll", 2.5),
            Map.of("bleu", 14.0, "rouge", 33.0, "chrf", 39.5, "nll", 2.7, "params", 6_000_000.0, "latency_ms_p50", 10.0));

    private final FinalComparison comparison = new FinalComparison(TEACHER, BASELINE, STUDENT, "bleu");

    @Test
    void shouldComputeTheGapClosedOnEachSplitForHigherAndLowerIsBetterMetrics() {
        assertThat(comparison.gapClosed("dev")).containsEntry("gap_closed_bleu", 50.0)
                .containsEntry("gap_closed_nll", 50.0);
        Map<String, Double> test = comparison.gapClosed("test");
        assertThat(test.get("gap_closed_bleu")).isCloseTo(60.0, within(1e-9)); // (14 - 8) / (18 - 8)
        assertThat(test.get("gap_closed_nll")).isCloseTo(50.0, within(1e-9)); // (2.7 - 3.2) / (2.2 - 3.2)
        assertThat(test.get("gap_closed_chrf")).isCloseTo(55.0, within(1e-9));
    }

    @Test
    void shouldComputeTheSpeedUpFromTheLatencies() {
        assertThat(comparison.speedUp()).hasValue(3.0);
        FinalComparison.Model untimed = new FinalComparison.Model("KD student", STUDENT.dev(), Map.of("bleu", 14.0));
        assertThat(new FinalComparison(TEACHER, BASELINE, untimed, "bleu").speedUp()).isEmpty();
    }

    @Test
    void shouldPrintTheTableSpeedUpAndGaps() {
        assertThat(comparison.lines()).containsExactly(
                "model        split     BLEU    ROUGE     chrF      NLL       params  latency p50",
                "teacher      dev      20.00    40.00    45.00    2.000      9000000      30.0 ms",
                "CE student   dev      10.00    30.00    35.00    3.000      6000000      12.0 ms",
                "KD student   dev      15.00    35.00    40.00    2.500      6000000      10.0 ms",
                "teacher      test     18.00    38.00    44.00    2.200      9000000      30.0 ms",
                "CE student   test      8.00    28.00    34.00    3.200      6000000      12.0 ms",
                "KD student   test     14.00    33.00    39.50    2.700      6000000      10.0 ms",
                "speed-up of the KD student over the teacher (latency p50): 3.00x",
                "gap closed on dev bleu: 50.0%",
                "gap closed on test bleu: 60.0%");
    }

    @Test
    void shouldPutTheCopyBaselineFirstWithoutCostsAndLeaveTheGapToTheThreeModels() {
        FinalComparison.Model copy = new FinalComparison.Model("copy source",
                Map.of("bleu", 16.0, "rouge", 37.0, "chrf", 39.0, "nll", 0.0), Map.of("bleu", 14.0));
        FinalComparison withCopy = new FinalComparison(TEACHER, BASELINE, STUDENT, "bleu", Optional.of(copy));

        assertThat(withCopy.lines()).startsWith(
                "model        split     BLEU    ROUGE     chrF      NLL       params  latency p50",
                "copy source  dev      16.00    37.00    39.00    0.000          n/a          n/a",
                "teacher      dev      20.00    40.00    45.00    2.000      9000000      30.0 ms");
        assertThat(withCopy.lines()).contains("copy source  test     14.00      n/a      n/a      n/a          n/a"
                + "          n/a");
        assertThat(withCopy.gapClosed("test")).isEqualTo(comparison.gapClosed("test"));
    }

    @Test
    void shouldSayWhenTheGapIsUndefined() {
        FinalComparison same = new FinalComparison(BASELINE, BASELINE, STUDENT, "bleu");

        assertThat(same.gapClosed("test")).isEmpty();
        assertThat(same.lines()).contains("gap closed on test bleu: n/a (teacher and baseline score the same)");
    }
}
