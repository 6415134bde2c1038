package io.kdflow.core.eval;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Chooses the best checkpoint on one metric of one split (normally dev): the best value in the metric's
 * {@link Direction} wins, the earliest step breaks a tie (an earlier checkpoint is what early stopping keeps).
 * Checkpoints without the metric on that split are not candidates.
 *
 * @param metric the selection metric, e.g. {@code bleu}
 * @param split the split it is read on, e.g. {@code dev}
 */
public record CheckpointSelection(String metric, String split) {

    public static final String DEV = "dev";

    public CheckpointSelection {
        if (metric == null || metric.isBlank() || split == null || split.isBlank()) {
            throw new IllegalArgumentException("selection metric and split must not be blank: " + metric + ", " + split);
        }
    }

    /** The selection metric on the dev split. */
    public static CheckpointSelection onDev(String metric) {
        return new CheckpointSelection(metric, DEV);
    }

    public Direction direction() {
        return MetricNames.direction(metric);
    }

    /** The selection value of a checkpoint's metrics by split; empty when it was not measured. */
    public OptionalDouble valueOf(Map<String, Map<String, Double>> metricsBySplit) {
        Double value = metricsBySplit.getOrDefault(split, Map.of()).get(metric);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /**
     * Orders candidates best first (best value, then earliest step). Only for candidates that have the metric.
     *
     * @param step a candidate's training step
     * @param metricsBySplit a candidate's metrics by split name
     */
    public <C> Comparator<C> bestFirst(ToLongFunction<C> step, Function<C, Map<String, Map<String, Double>>> metricsBySplit) {
        Comparator<C> byValue = Comparator.comparingDouble(c -> valueOf(metricsBySplit.apply(c)).orElseThrow());
        return (direction() == Direction.HIGHER_IS_BETTER ? byValue.reversed() : byValue).thenComparingLong(step);
    }

    /** The best of {@code candidates}; empty when none has the metric on the split. */
    public <C> Optional<C> best(Collection<C> candidates, ToLongFunction<C> step,
            Function<C, Map<String, Map<String, Double>>> metricsBySplit) {
        return candidates.stream()
                .filter(c -> valueOf(metricsBySplit.apply(c)).isPresent())
                .min(bestFirst(step, metricsBySplit));
    }
}
