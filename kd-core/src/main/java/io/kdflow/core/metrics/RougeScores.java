package io.kdflow.core.metrics;

/**
 * ROUGE-1, ROUGE-2 and ROUGE-L of one prediction.
 *
 * @param rouge1 unigram overlap
 * @param rouge2 bigram overlap
 * @param rougeL longest common subsequence (rouge-score's "rougeL", not the summary-level "rougeLsum")
 */
public record RougeScores(RougeScore rouge1, RougeScore rouge2, RougeScore rougeL) {
}
