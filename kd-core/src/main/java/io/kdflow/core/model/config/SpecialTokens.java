package io.kdflow.core.model.config;

import java.util.List;

/**
 * Token ids with a fixed role. Any of them may be null (absent in the config); {@code eos} may hold
 * several ids, as {@code transformers} allows.
 */
public record SpecialTokens(Integer pad, Integer bos, List<Integer> eos, Integer decoderStart) {

    public SpecialTokens {
        eos = List.copyOf(eos);
    }

    /** The first end-of-sequence id, or null. */
    public Integer firstEos() {
        return eos.isEmpty() ? null : eos.get(0);
    }
}
