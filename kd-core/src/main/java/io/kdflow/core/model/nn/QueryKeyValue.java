package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * The queries, keys and values of one attention block for a whole sequence, heads concatenated: head h owns
 * the columns h*D .. h*D+D-1 of the last axis (the layout of the projection's output, before it is split into
 * heads). The queries are as the attention multiplies them: BART's come scaled by 1/sqrt(D), as
 * {@code transformers} stores them. They are what the attention scores softmax(q kT + mask) are made of, so
 * their arrays carry the gradient of the pass that produced them.
 *
 * @param queries (B, T, H*D) over the attending positions
 * @param keys (B, S, H*D) over the attended positions (S = T for self-attention)
 * @param values (B, S, H*D) over the attended positions
 */
public record QueryKeyValue(NDArray queries, NDArray keys, NDArray values) {}
