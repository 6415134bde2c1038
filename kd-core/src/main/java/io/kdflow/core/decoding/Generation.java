package io.kdflow.core.decoding;

import java.util.List;

/**
 * What one input produced: beam search returns its best hypotheses, best first; sampling returns its
 * samples in sample order; greedy one sequence.
 */
public record Generation(List<Hypothesis> hypotheses) {

    public Generation {
        hypotheses = List.copyOf(hypotheses);
    }

    /** The first (for beam search, the best) hypothesis. */
    public Hypothesis best() {
        return hypotheses.get(0);
    }
}
