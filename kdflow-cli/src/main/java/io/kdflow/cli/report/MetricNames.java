package io.kdflow.cli.report;

import java.util.Locale;

/** Metric names of evaluation reports (as the wire's EvalReport uses them), their labels and directions. */
public final class MetricNames {

    public static final String BLEU = "bleu";
    public static final String CHRF = "chrf";
    /** The paper's ROUGE: mean of the ROUGE-1, ROUGE-2 and ROUGE-L F1. */
    public static final String ROUGE = "rouge";
    /** Mean gold NLL in nats (the paper's "PPL"). */
    public static final String NLL = "nll";
    public static final String LATENCY_MS_P50 = "latency_ms_p50";
    public static final String PARAMS = "params";

    private MetricNames() {
    }

    /** True for losses, error rates and latencies, where a smaller value is the better one. */
    public static boolean lowerIsBetter(String metric) {
        return metric.equals(NLL) || metric.equals("ter") || metric.startsWith("latency");
    }

    /** How a metric reads in a table or on an axis, e.g. {@code BLEU} or {@code latency p50 (ms)}. */
    public static String label(String metric) {
        return switch (metric) {
            case BLEU, NLL, ROUGE -> metric.toUpperCase(Locale.ROOT);
            case "ter" -> "TER";
            case CHRF -> "chrF";
            case LATENCY_MS_P50 -> "latency p50 (ms)";
            default -> metric;
        };
    }
}
