package io.kdflow.core.eval;

import io.kdflow.core.metrics.TaskMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trivial baseline of a task whose output resembles its input (style transfer, paraphrase): the source itself
 * as the prediction, scored against the references as the files give them with the paper's protocol. A teacher
 * worth distilling beats it.
 */
public final class CopyBaseline {

    private CopyBaseline() {}

    /** Task metrics of predicting each example's source; empty for no examples. */
    public static Map<String, Double> metrics(List<EvalExample> examples) {
        if (examples.isEmpty()) {
            return Map.of();
        }
        return new LinkedHashMap<>(MetricNames.of(TaskMetrics.score(examples.stream().map(EvalExample::source).toList(),
                examples.stream().map(EvalExample::references).toList(), TaskMetrics.Options.paperProtocol())));
    }
}
