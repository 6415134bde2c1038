package io.kdflow.core.eval;

import io.kdflow.core.metrics.RougeScore;
import io.kdflow.core.metrics.TaskMetricsResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The metric names of an {@code EvalReport}, how task scores map onto them, their direction and their labels.
 * Lower is better for the loss, the error rate and every cost (time, memory, size, compute, dropped pairs);
 * higher for every quality score, the throughput and the gap closed.
 */
public final class MetricNames {

    public static final String BLEU = "bleu";
    public static final String CHRF = "chrf";
    public static final String TER = "ter";
    /** The paper's ROUGE: mean of the ROUGE-1, ROUGE-2 and ROUGE-L F1. */
    public static final String ROUGE = "rouge";
    /** Mean gold NLL per target token in nats (the paper's "PPL", not exponentiated). */
    public static final String NLL = "nll";
    public static final String DROPPED_PAIRS = "dropped_pairs";
    public static final String PARAMS = "params";
    public static final String PARAMS_NON_EMBEDDING = "params_non_embedding";
    public static final String FLOPS = "flops";
    public static final String PEAK_MEMORY_BYTES = "peak_memory_bytes";
    public static final String LATENCY_MS_P50 = "latency_ms_p50";
    public static final String LATENCY_MS_P90 = "latency_ms_p90";
    public static final String PEAK_RSS_DELTA_BYTES = "peak_rss_delta_bytes";
    public static final String THROUGHPUT_PER_MIN = "throughput_per_min";
    public static final String THROUGHPUT_BATCH = "throughput_batch";
    public static final String GAP_CLOSED_PREFIX = "gap_closed_";

    /** The per-split quality metrics a job may select checkpoints on, in report order. */
    public static final List<String> SELECTABLE = List.of(BLEU, CHRF, TER, ROUGE, "rouge1_p", "rouge1_r", "rouge1_f",
            "rouge2_p", "rouge2_r", "rouge2_f", "rougeL_p", "rougeL_r", "rougeL_f", NLL);

    /** Quality metrics a student's gap closed is reported for (besides the selection metric). */
    public static final List<String> GAP_METRICS = List.of(BLEU, CHRF, ROUGE, "rouge1_f", "rouge2_f", "rougeL_f", NLL);

    private static final Set<String> LOWER_IS_BETTER = Set.of(NLL, TER, DROPPED_PAIRS, PARAMS, PARAMS_NON_EMBEDDING,
            FLOPS, PEAK_MEMORY_BYTES, LATENCY_MS_P50, LATENCY_MS_P90, PEAK_RSS_DELTA_BYTES);

    private MetricNames() {}

    /** The direction of {@code metric}; names not listed above (new quality scores) count as higher is better. */
    public static Direction direction(String metric) {
        return LOWER_IS_BETTER.contains(metric) ? Direction.LOWER_IS_BETTER : Direction.HIGHER_IS_BETTER;
    }

    public static boolean lowerIsBetter(String metric) {
        return direction(metric) == Direction.LOWER_IS_BETTER;
    }

    /**
     * {@code bleu}, {@code chrf}, {@code ter}, {@code rouge} and {@code rouge1|rouge2|rougeL_p|r|f}, all on a
     * 0-100 scale, plus {@code dropped_pairs}.
     */
    public static Map<String, Double> of(TaskMetricsResult result) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(BLEU, result.bleu().score());
        metrics.put(CHRF, result.chrf());
        metrics.put(TER, result.ter().score());
        metrics.put(ROUGE, result.rouge());
        putRouge(metrics, "rouge1", result.rouge1());
        putRouge(metrics, "rouge2", result.rouge2());
        putRouge(metrics, "rougeL", result.rougeL());
        metrics.put(DROPPED_PAIRS, (double) result.dropped());
        return metrics;
    }

    /** How a metric reads in a table or on an axis, e.g. {@code BLEU} or {@code latency p50 (ms)}. */
    public static String label(String metric) {
        return switch (metric) {
            case BLEU, NLL, ROUGE, TER -> metric.toUpperCase(Locale.ROOT);
            case CHRF -> "chrF";
            case LATENCY_MS_P50 -> "latency p50 (ms)";
            default -> metric;
        };
    }

    private static void putRouge(Map<String, Double> metrics, String name, RougeScore score) {
        metrics.put(name + "_p", score.precision());
        metrics.put(name + "_r", score.recall());
        metrics.put(name + "_f", score.fmeasure());
    }
}
