package io.kdflow.core.decoding;

/**
 * Teacher-forced scores of one target.
 *
 * @param tokenLogProbs per target position, log p(target[t] | source, target[<t]); NaN where the label is
 *                      ignored (-100)
 * @param topK          per target position (ignored ones included) the top-k of the model's distribution,
 *                      or null when not requested
 */
public record TargetScore(float[] tokenLogProbs, TopKLogProbs topK) {

    /** Number of scored (not ignored) tokens. */
    public int tokens() {
        int count = 0;
        for (float value : tokenLogProbs) {
            if (!Float.isNaN(value)) {
                count++;
            }
        }
        return count;
    }

    /** Sum of -log p over the scored tokens. */
    public double totalNll() {
        double sum = 0;
        for (float value : tokenLogProbs) {
            if (!Float.isNaN(value)) {
                sum -= value;
            }
        }
        return sum;
    }

    /** Mean token NLL of the scored tokens (NaN when none is scored). */
    public double nll() {
        int tokens = tokens();
        return tokens == 0 ? Double.NaN : totalNll() / tokens;
    }
}
