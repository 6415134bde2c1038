package io.kdflow.core.decoding;

/**
 * One generated sequence.
 *
 * @param tokens        the generated ids, without the decoder start token or the prompt; the last one is
 *                      the EOS token when {@code finished}
 * @param tokenLogProbs per generated token, its log-prob under the model's unscaled distribution
 * @param score         beam search: {@code transformers}' {@code sequences_scores} (sum of the processed
 *                      log-probs / length^length_penalty); greedy and sampling: the same formula on
 *                      {@code tokenLogProbs}
 * @param finished      true when it ended with EOS, false when it hit max_new_tokens
 * @param topK          per generated position the top-k of the unscaled distribution, or null when not
 *                      requested
 */
public record Hypothesis(long[] tokens, float[] tokenLogProbs, double score, boolean finished, TopKLogProbs topK) {

    public int length() {
        return tokens.length;
    }

    /** Sum of the token log-probs. */
    public double logProb() {
        double sum = 0;
        for (float value : tokenLogProbs) {
            sum += value;
        }
        return sum;
    }
}
