package io.kdflow.core.tokenizer;

/** Why BPE training stopped adding merges. */
public enum BpeStopReason {
    /** The vocabulary reached the requested size. */
    VOCAB_SIZE_REACHED,
    /** Every word of the data is a single token: no adjacent pair is left to merge. */
    NO_PAIRS_LEFT,
    /** The most frequent remaining pair occurs fewer times than the minimum frequency. */
    BELOW_MIN_FREQUENCY
}
