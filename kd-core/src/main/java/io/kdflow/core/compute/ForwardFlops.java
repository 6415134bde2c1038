package io.kdflow.core.compute;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytical cost of ONE teacher-forced forward pass at batch size 1, as the paper measured it
 * ({@code 2 x torchprofile MACs}): the multiply-accumulates of every matrix multiply, term by term.
 *
 * <p>Counted: q/k/v/output projections, attention scores {@code QK^T} and the weighted sum {@code AV}
 * (over the full, masked, score matrix, as the dense kernels compute it), the feed-forward layers and the
 * LM head over every position. Not counted: layer/RMS norms, softmax, activations, residual adds, scaling
 * multiplies, embedding lookups and biases ({@code docs/compute-metrics.md} bounds what torchprofile adds
 * for them).
 *
 * @param modelType {@code bart}, {@code t5} or {@code gpt2}
 * @param sourceLength input tokens S
 * @param targetLength target tokens T (decoder-only models run on the S + T concatenation)
 * @param terms the multiply groups, in forward order
 */
public record ForwardFlops(String modelType, int sourceLength, int targetLength, List<FlopsTerm> terms) {

    public ForwardFlops {
        terms = List.copyOf(terms);
    }

    /** Multiply-accumulates of the whole pass. */
    public long macs() {
        long sum = 0;
        for (FlopsTerm term : terms) {
            sum = Math.addExact(sum, term.macs());
        }
        return sum;
    }

    /** Floating-point operations: 2 x MACs (one multiply and one add each). */
    public long flops() {
        return Math.multiplyExact(2L, macs());
    }

    /** MACs by term name. */
    public Map<String, Long> macsByTerm() {
        Map<String, Long> byName = new LinkedHashMap<>();
        for (FlopsTerm term : terms) {
            byName.merge(term.name(), term.macs(), Math::addExact);
        }
        return Collections.unmodifiableMap(byName);
    }
}
