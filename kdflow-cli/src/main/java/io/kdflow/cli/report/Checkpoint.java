package io.kdflow.cli.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One model checkpoint chosen for a report, with its metrics on every split it was evaluated on.
 *
 * @param metricsBySplit split name to metric map, the selection split first
 */
public record Checkpoint(String model, EvalRole role, long step, Map<String, Map<String, Double>> metricsBySplit) {

    public Checkpoint {
        metricsBySplit = Collections.unmodifiableMap(new LinkedHashMap<>(metricsBySplit));
    }

    /** The value of {@code metric} on {@code split}, empty when it was not measured there. */
    public OptionalDouble metric(String split, String metric) {
        Double value = metricsBySplit.getOrDefault(split, Map.of()).get(metric);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** {@code model@step}, how messages and plot legends name a checkpoint. */
    public String label() {
        return model + "@" + step;
    }
}
