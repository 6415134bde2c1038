package io.kdflow.core.model;

/**
 * An attention block of an encoder-decoder model's last layers, whose queries, keys and values a model can hand
 * over with its logits ({@link Seq2SeqModel#logitsWithAttention}).
 */
public enum AttentionBlock {
    /** Self-attention of the last encoder layer: queries, keys and values over the source positions. */
    ENCODER_SELF,
    /** Causal self-attention of the last decoder layer: queries, keys and values over the target positions. */
    DECODER_SELF,
    /**
     * Cross-attention of the last decoder layer: queries over the target positions, keys and values over the
     * source positions (projections of the encoder's output).
     */
    DECODER_CROSS
}
