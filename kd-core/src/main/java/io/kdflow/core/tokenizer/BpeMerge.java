package io.kdflow.core.tokenizer;

import java.util.Objects;

/** One learned BPE merge: the two adjacent tokens it joins, in the byte-level alphabet. */
public record BpeMerge(String left, String right) {

    public BpeMerge {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
    }

    public String merged() {
        return left + right;
    }
}
