package io.kdflow.core.eval;

import java.util.List;
import java.util.Map;

/**
 * A checkpoint's scores on one split.
 *
 * @param metrics task metrics ({@link MetricNames#of}) and the mean gold NLL ({@link MetricNames#NLL})
 * @param numExamples examples evaluated (pairs dropped as empty are counted in {@code dropped_pairs})
 * @param predictions the decoded predictions, in example order
 */
public record SplitResult(Map<String, Double> metrics, int numExamples, List<String> predictions) {

    public SplitResult {
        metrics = Map.copyOf(metrics);
        predictions = List.copyOf(predictions);
    }
}
