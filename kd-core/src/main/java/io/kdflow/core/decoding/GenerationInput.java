package io.kdflow.core.decoding;

import java.nio.charset.StandardCharsets;

/**
 * One input to generate from: the source token ids of an encoder-decoder model, or the prompt of a
 * decoder-only model. {@code seedKey} names the input for sampling: the random generator of sample s
 * is derived from (settings seed, seedKey, s) alone, so samples do not depend on which other inputs
 * share the batch or on the batch size.
 */
public record GenerationInput(long[] tokenIds, long seedKey) {

    public GenerationInput {
        if (tokenIds == null) {
            throw new IllegalArgumentException("tokenIds must not be null");
        }
        tokenIds = tokenIds.clone();
    }

    /** An input whose seed key is a stable hash of its id (64-bit FNV-1a of the UTF-8 bytes). */
    public static GenerationInput of(long[] tokenIds, String id) {
        return new GenerationInput(tokenIds, seedKeyOf(id));
    }

    /** 64-bit FNV-1a of the UTF-8 bytes of {@code id}: the same on every JVM and platform. */
    public static long seedKeyOf(String id) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    @Override
    public long[] tokenIds() {
        return tokenIds.clone();
    }

    public int length() {
        return tokenIds.length;
    }

    long tokenAt(int index) {
        return tokenIds[index];
    }
}
