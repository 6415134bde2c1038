package io.kdflow.core.local;

import java.util.Map;
import java.util.TreeMap;

/**
 * One dev evaluation of a training phase.
 *
 * @param step optimizer steps done (counted from the start of the schedule)
 * @param epoch the epoch it falls in (1-based; 0 for the checkpoint a phase starts from)
 * @param dataEpoch the data position's epoch after that step (0-based)
 * @param dataIndex the data position's micro-batch index within that epoch
 * @param metrics dev metrics (SplitEvaluator's)
 */
public record DevPoint(long step, int epoch, int dataEpoch, long dataIndex, Map<String, Double> metrics) {

    public DevPoint {
        metrics = new TreeMap<>(metrics);
    }
}
