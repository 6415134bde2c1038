package io.kdflow.core.decoding;

import io.kdflow.core.wire.SparseDistribution;

/**
 * Per position, the k most likely token ids of a model's unscaled (temperature 1, unfiltered)
 * distribution, their log-probs (descending), and the log of the probability mass of all other
 * tokens. Rows are positions of the sequence they belong to.
 */
public record TopKLogProbs(int vocabSize, int[][] tokenIds, float[][] logProbs, float[] tailLogMass) {

    public TopKLogProbs {
        if (tokenIds.length != logProbs.length || tokenIds.length != tailLogMass.length) {
            throw new IllegalArgumentException("top-k rows disagree: " + tokenIds.length + " id rows, "
                    + logProbs.length + " log-prob rows, " + tailLogMass.length + " tails");
        }
    }

    /** Builds the rows from top-k ids and log-probs; the tail is log(1 - sum exp(top-k)). */
    static TopKLogProbs of(int vocabSize, int[][] tokenIds, float[][] logProbs) {
        float[] tails = new float[tokenIds.length];
        for (int p = 0; p < tails.length; p++) {
            tails[p] = tokenIds[p].length >= vocabSize ? Float.NEGATIVE_INFINITY : LogMass.complement(logProbs[p]);
        }
        return new TopKLogProbs(vocabSize, tokenIds, logProbs, tails);
    }

    public int positions() {
        return tokenIds.length;
    }

    public int k() {
        return tokenIds.length == 0 ? 0 : tokenIds[0].length;
    }

    /** The rows as the wire's sparse teacher distribution (temperature 1). */
    public SparseDistribution toSparseDistribution() {
        return SparseDistribution.fromTopK(vocabSize, k(), tokenIds, logProbs, 1f);
    }
}
