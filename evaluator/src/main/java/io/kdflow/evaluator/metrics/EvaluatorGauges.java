package io.kdflow.evaluator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The evaluator's Prometheus gauges.
 * <ul>
 *   <li>{@code kdflow.evaluator.metric{job, role, split, metric}} (Prometheus
 *       {@code kdflow_evaluator_metric}): the latest evaluated checkpoint's value of every report metric.</li>
 *   <li>{@code kdflow.evaluator.best{job, role, metric}}: the best checkpoint's dev selection metric, and
 *       {@code kdflow.evaluator.best.step{job, role}} its step.</li>
 * </ul>
 */
@ApplicationScoped
public class EvaluatorGauges {

    public static final String METRIC = "kdflow.evaluator.metric";
    public static final String BEST = "kdflow.evaluator.best";
    public static final String BEST_STEP = "kdflow.evaluator.best.step";

    private final MeterRegistry registry;
    /** Strong references: Micrometer holds gauge state weakly. */
    private final Map<List<String>, Value> values = new ConcurrentHashMap<>();

    public EvaluatorGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    public void metric(String job, String role, String split, String metric, double value) {
        set(List.of(METRIC, job, role, split, metric), value, "job", job, "role", role, "split", split,
                "metric", metric);
    }

    public void best(String job, String role, String metric, double value, long step) {
        set(List.of(BEST, job, role, metric), value, "job", job, "role", role, "metric", metric);
        set(List.of(BEST_STEP, job, role), step, "job", job, "role", role);
    }

    private void set(List<String> key, double value, String... tags) {
        values.computeIfAbsent(key, k -> {
            Value holder = new Value();
            Gauge.builder(k.get(0), holder, Value::get).tags(tags).register(registry);
            return holder;
        }).value = value;
    }

    /** A gauge's current value. */
    private static final class Value {
        private volatile double value = Double.NaN;

        double get() {
            return value;
        }
    }
}
