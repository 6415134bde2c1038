package io.kdflow.core.compute;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.SpecialTokens;
import java.util.HashSet;
import java.util.Set;

/**
 * The inputs of the speed measurements: one ordinary token repeated, as the paper's profiler fed the token
 * {@code '='} repeated {@code input_length} times. Content does not change the cost of a dense model.
 */
public final class SyntheticInputs {

    private SyntheticInputs() {}

    /** The smallest id that is none of the model's special tokens (pad, bos, eos, decoder start). */
    public static long fillerToken(ModelConfig config) {
        SpecialTokens special = config.specialTokens();
        Set<Integer> reserved = new HashSet<>(special.eos());
        addIfPresent(reserved, special.pad());
        addIfPresent(reserved, special.bos());
        addIfPresent(reserved, special.decoderStart());
        for (int id = 0; id < config.vocabSize(); id++) {
            if (!reserved.contains(id)) {
                return id;
            }
        }
        throw new BadInputException("the vocabulary of " + config.vocabSize()
                + " tokens holds only special tokens: no filler token for synthetic inputs");
    }

    /** {@code batch x length} ids, all {@code token}, row-major. */
    public static long[] repeated(long token, int batch, int length) {
        if (batch < 1 || length < 1) {
            throw new IllegalArgumentException("synthetic inputs need batch >= 1 and length >= 1, got batch "
                    + batch + ", length " + length);
        }
        long[] ids = new long[Math.multiplyExact(batch, length)];
        java.util.Arrays.fill(ids, token);
        return ids;
    }

    private static void addIfPresent(Set<Integer> ids, Integer id) {
        if (id != null) {
            ids.add(id);
        }
    }
}
