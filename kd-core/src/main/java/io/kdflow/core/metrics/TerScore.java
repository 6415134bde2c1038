package io.kdflow.core.metrics;

/**
 * A TER score as sacrebleu's {@code TERScore} reports it.
 *
 * @param score edits per reference word on a 0-100 scale (lower is better)
 * @param numEdits total edits (shifts plus insertions, deletions and substitutions)
 * @param refLength total reference length (per segment the mean length of its references)
 */
public record TerScore(double score, int numEdits, double refLength) {
}
