package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Step-by-step decoding with a key/value cache, the base for greedy search, beam search and sampling.
 * Self-attention keys and values are preallocated to {@link #capacity()} positions and filled in place;
 * for encoder-decoder models the cross-attention keys and values are computed once when the decoder
 * is created. Not thread-safe; close it to free its cache.
 */
public interface IncrementalDecoder extends AutoCloseable {

    /**
     * Feeds the next tokens and returns their logits.
     *
     * @param tokens (B, T) int64; usually T = 1, larger T feeds a prefix (a prompt) in one call
     * @return (B, T, V) float32 logits, attached to {@code tokens}' manager
     */
    default NDArray step(NDArray tokens) {
        return step(tokens, null);
    }

    /**
     * Same, with a (B, T) 1/0 mask of the new tokens: positions with 0 (padding, e.g. a left-padded
     * prompt) are never attended to later. For GPT-2 the mask also sets position ids as
     * {@code transformers}' generate does (cumulative count of real tokens).
     */
    NDArray step(NDArray tokens, NDArray tokenMask);

    /** Positions cached so far. */
    int length();

    /** Maximum positions this decoder can hold. */
    int capacity();

    /** Current number of rows. */
    long batchSize();

    /**
     * Reorders (and possibly shrinks or grows) the batch: row i becomes old row {@code rows[i]}.
     * Beam search calls this with the source beam of each surviving hypothesis.
     *
     * @param rows (B') int64
     */
    void reorder(NDArray rows);

    @Override
    void close();
}
