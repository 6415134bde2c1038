package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;

/**
 * The encoder's last hidden states (B, S, E) with the (B, S) 1/0 attention mask of the inputs they
 * came from (cross-attention masks padded positions with it).
 */
public record EncoderOutput(NDArray hiddenStates, NDArray attentionMask) {

    /** Expands each row n times (row i -> rows i*n .. i*n+n-1), e.g. for beam search. */
    public EncoderOutput repeatRows(int n) {
        return new EncoderOutput(hiddenStates.repeat(0, n), attentionMask.repeat(0, n));
    }
}
