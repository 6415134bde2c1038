package io.kdflow.core.pretrain;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link TextInfilling#apply}: the noised ids and the spans they hide, in order.
 *
 * @param ids   the noised sequence (the encoder input)
 * @param spans the replaced spans, by increasing start; inserted masks have {@code wordCount == 0}
 */
public record Infilled(long[] ids, List<MaskSpan> spans) {

    public Infilled {
        Objects.requireNonNull(ids, "ids");
        spans = List.copyOf(spans);
    }

    /** Number of original tokens that were replaced (inserted masks hide none). */
    public int maskedTokens() {
        return spans.stream().mapToInt(MaskSpan::tokenCount).sum();
    }
}
