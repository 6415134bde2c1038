package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.nn.QueryKeyValue;
import java.util.Map;

/**
 * Teacher-forced logits together with the queries, keys and values of the last layers' attention blocks that
 * were asked for, all from one forward pass (so in training mode they share its graph and dropout).
 *
 * @param logits (B, T, V)
 * @param lastLayer the asked blocks' projections, heads concatenated (see {@link QueryKeyValue})
 */
public record AttendedLogits(NDArray logits, Map<AttentionBlock, QueryKeyValue> lastLayer) {

    public AttendedLogits {
        lastLayer = Map.copyOf(lastLayer);
    }

    /** The projections of {@code block}, which must have been asked for. */
    public QueryKeyValue of(AttentionBlock block) {
        QueryKeyValue projections = lastLayer.get(block);
        if (projections == null) {
            throw new IllegalArgumentException(block + " was not asked for; got " + lastLayer.keySet());
        }
        return projections;
    }
}
