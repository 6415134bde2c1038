package io.kdflow.evaluator.evaluation;

import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.SplitResult;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.Split;
import java.util.Map;

/**
 * Everything measured for one checkpoint.
 *
 * @param splits per split (dev first) its task metrics, NLL and predictions
 * @param compute the computational metrics, the same for every split
 * @param settings the settings it was evaluated with
 * @param decoding the decoding of its predictions, as the reports' provenance records it
 */
public record CheckpointResult(Map<Split, SplitResult> splits, Map<String, Double> compute,
        EvaluationSettings settings, DecodingSettings decoding) {
}
