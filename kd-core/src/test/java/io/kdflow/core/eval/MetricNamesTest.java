package io.kdflow.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.metrics.TaskMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One table of metric names and directions for the evaluator and the CLI. */
class MetricNamesTest {

    @Test
    void shouldKnowWhichMetricsAreBetterLower() {
        assertThat(List.of("nll", "ter", "latency_ms_p50", "latency_ms_p90", "peak_memory_bytes",
                "peak_rss_delta_bytes", "params", "flops", "dropped_pairs"))
                .allSatisfy(metric -> assertThat(MetricNames.direction(metric)).isEqualTo(Direction.LOWER_IS_BETTER));
        assertThat(List.of("bleu", "chrf", "rouge", "rouge2_f", "rougeL_p", "throughput_per_min", "gap_closed_bleu"))
                .allSatisfy(metric -> assertThat(MetricNames.direction(metric)).isEqualTo(Direction.HIGHER_IS_BETTER));
        assertThat(Direction.LOWER_IS_BETTER.isBetter(1.0, 2.0)).isTrue();
        assertThat(Direction.HIGHER_IS_BETTER.isBetter(2.0, 2.0)).isFalse();
    }

    @Test
    void shouldNameEveryTaskScoreOnTheReportScale() {
        Map<String, Double> metrics = MetricNames.of(TaskMetrics.score(List.of("the cat sat", ""),
                List.of(List.of("the cat sat"), List.of("dropped")), TaskMetrics.Options.paperProtocol()));

        assertThat(metrics.keySet()).containsExactly("bleu", "chrf", "ter", "rouge", "rouge1_p", "rouge1_r", "rouge1_f",
                "rouge2_p", "rouge2_r", "rouge2_f", "rougeL_p", "rougeL_r", "rougeL_f", "dropped_pairs");
        assertThat(metrics).containsEntry("dropped_pairs", 1.0).containsEntry("rouge1_f", 100.0);
        assertThat(MetricNames.SELECTABLE).containsAll(metrics.keySet().stream()
                .filter(name -> !name.equals("dropped_pairs")).toList()).contains("nll");
    }

    @Test
    void shouldLabelMetricsForTablesAndAxes() {
        assertThat(MetricNames.label("bleu")).isEqualTo("BLEU");
        assertThat(MetricNames.label("ter")).isEqualTo("TER");
        assertThat(MetricNames.label("chrf")).isEqualTo("chrF");
        assertThat(MetricNames.label("latency_ms_p50")).isEqualTo("latency p50 (ms)");
        assertThat(MetricNames.label("rouge2_f")).isEqualTo("rouge2_f");
    }
}
