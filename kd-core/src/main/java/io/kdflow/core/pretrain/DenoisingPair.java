package io.kdflow.core.pretrain;

import java.util.Objects;

/**
 * One denoising example, ids as a gold pair has them ({@link io.kdflow.core.decoding.TextEncoding}).
 *
 * @param sourceIds the noised encoder input, e.g. {@code <s> ... <mask> ... </s>}
 * @param targetIds the labels: the original text's target ids
 */
public record DenoisingPair(long[] sourceIds, long[] targetIds) {

    public DenoisingPair {
        Objects.requireNonNull(sourceIds, "sourceIds");
        Objects.requireNonNull(targetIds, "targetIds");
    }
}
