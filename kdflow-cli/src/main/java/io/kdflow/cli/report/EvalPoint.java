package io.kdflow.cli.report;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The metrics of one model checkpoint on one split: one evaluation report of a run.
 *
 * @param job the distillation job the model belongs to
 * @param model the model's name, e.g. {@code t5-small-kd}; a student's checkpoints share it
 * @param role teacher, student or student baseline
 * @param step the training step of the checkpoint (0 for a teacher)
 * @param split the data split, e.g. {@code dev} or {@code test}
 * @param metrics metric name to value, e.g. {@code bleu}, {@code rouge}, {@code chrf}, {@code nll},
 *     {@code latency_ms_p50}, {@code params} (see {@link io.kdflow.core.eval.MetricNames}); kept sorted by name
 */
public record EvalPoint(String job, String model, EvalRole role, long step, String split,
        Map<String, Double> metrics) {

    public EvalPoint {
        requireText(job, "job");
        requireText(model, "model");
        requireText(split, "split");
        if (role == null) {
            throw new IllegalArgumentException("role of model " + model + " must not be null");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step of model " + model + " is " + step + ", expected >= 0");
        }
        if (metrics == null) {
            throw new IllegalArgumentException("metrics of model " + model + " step " + step + " must not be null");
        }
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            requireText(metric.getKey(), "metric name of model " + model + " step " + step);
            if (metric.getValue() == null || !Double.isFinite(metric.getValue())) {
                throw new IllegalArgumentException("metric " + metric.getKey() + " of model " + model + " step "
                        + step + " on " + split + " is " + metric.getValue() + ", expected a finite number");
            }
        }
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /** The value of {@code name}, empty when this point did not measure it. */
    public OptionalDouble metric(String name) {
        Double value = metrics.get(name);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, got " + (value == null ? "null" : "\"\""));
        }
    }
}
