package io.kdflow.evaluator.state;

import io.kdflow.core.wire.proto.ModelRole;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of the report log: a checkpoint whose reports were all published, with the metrics of each split
 * (split name in lower case to metric name to value), whether it was the best so far on dev, and the
 * selection metric that decided it.
 */
public record ReportedCheckpoint(String job, ModelRole role, long step, String sha256, String uri,
        Map<String, Map<String, Double>> splits, boolean bestSoFar, String selectionMetric) {

    public ReportedCheckpoint {
        Map<String, Map<String, Double>> copy = new TreeMap<>();
        splits.forEach((split, metrics) -> copy.put(split, Map.copyOf(new TreeMap<>(metrics))));
        splits = java.util.Collections.unmodifiableMap(copy);
    }

    public CheckpointId id() {
        return new CheckpointId(job, role, step, sha256);
    }
}
