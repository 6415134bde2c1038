package io.kdflow.evaluator.evaluation;

import io.kdflow.core.metrics.RougeScore;
import io.kdflow.core.metrics.TaskMetricsResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The metric names of an {@code EvalReport} and how task scores map onto them. */
public final class MetricNames {

    public static final String BLEU = "bleu";
    public static final String NLL = "nll";
    public static final String PARAMS = "params";
    public static final String FLOPS = "flops";
    public static final String GAP_CLOSED_PREFIX = "gap_closed_";

    /** Quality metrics a gap closed is computed for (besides the selection metric). */
    public static final Set<String> GAP_METRICS = Set.of("bleu", "chrf", "rouge", "rouge1_f", "rouge2_f", "rougeL_f",
            "nll");

    private MetricNames() {}

    /** True for losses, error rates and latencies, where a smaller value is better. */
    public static boolean lowerIsBetter(String metric) {
        return metric.equals(NLL) || metric.equals("ter") || metric.startsWith("latency")
                || metric.equals("peak_memory_bytes");
    }

    /**
     * {@code bleu}, {@code chrf}, {@code ter}, {@code rouge} (the paper's mean of three F1) and
     * {@code rouge1|rouge2|rougeL_p|r|f}, all on a 0-100 scale, plus {@code dropped_pairs}.
     */
    public static Map<String, Double> of(TaskMetricsResult result) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(BLEU, result.bleu().score());
        metrics.put("chrf", result.chrf());
        metrics.put("ter", result.ter().score());
        metrics.put("rouge", result.rouge());
        putRouge(metrics, "rouge1", result.rouge1());
        putRouge(metrics, "rouge2", result.rouge2());
        putRouge(metrics, "rougeL", result.rougeL());
        metrics.put("dropped_pairs", (double) result.dropped());
        return metrics;
    }

    private static void putRouge(Map<String, Double> metrics, String name, RougeScore score) {
        metrics.put(name + "_p", score.precision());
        metrics.put(name + "_r", score.recall());
        metrics.put(name + "_f", score.fmeasure());
    }
}
