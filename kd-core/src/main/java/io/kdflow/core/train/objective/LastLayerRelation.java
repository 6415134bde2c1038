package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.AttentionBlock;
import io.kdflow.core.model.nn.QueryKeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the nine self-relations of attention-relation KD: a projection (queries, keys or values) of one of the
 * last layers' attention blocks, the positions it runs over and whether a row may look ahead.
 *
 * @param block the attention block
 * @param projection which of its projections
 */
record LastLayerRelation(AttentionBlock block, Projection projection) {

    /** Queries, keys or values. */
    enum Projection {
        QUERY, KEY, VALUE
    }

    /** The paper's nine, in a fixed order: Q, K, V of encoder self-, decoder self- and decoder cross-attention. */
    static final List<LastLayerRelation> ALL = all();

    private static List<LastLayerRelation> all() {
        List<LastLayerRelation> relations = new ArrayList<>();
        for (AttentionBlock block : List.of(AttentionBlock.ENCODER_SELF, AttentionBlock.DECODER_SELF,
                AttentionBlock.DECODER_CROSS)) {
            for (Projection projection : Projection.values()) {
                relations.add(new LastLayerRelation(block, projection));
            }
        }
        return List.copyOf(relations);
    }

    /** Name in the loss breakdown, e.g. {@code decoder_self.q}. */
    String name() {
        return block.name().toLowerCase(java.util.Locale.ROOT) + "." + switch (projection) {
            case QUERY -> "q";
            case KEY -> "k";
            case VALUE -> "v";
        };
    }

    /** (B, L, H*D) the projection this relation compares. */
    NDArray of(QueryKeyValue projections) {
        return switch (projection) {
            case QUERY -> projections.queries();
            case KEY -> projections.keys();
            case VALUE -> projections.values();
        };
    }

    /**
     * Whether it runs over the source positions (encoder self-attention, and the cross-attention's keys and
     * values) rather than the target positions.
     */
    boolean overSource() {
        return block == AttentionBlock.ENCODER_SELF
                || block == AttentionBlock.DECODER_CROSS && projection != Projection.QUERY;
    }

    /** Decoder self-attention relates a target position only to itself and the positions before it. */
    boolean causal() {
        return block == AttentionBlock.DECODER_SELF;
    }
}
