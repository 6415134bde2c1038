package io.kdflow.core.decoding;

/**
 * One generated token of a beam, linked to the token before it. Beams that share a prefix share its
 * nodes, so reordering beams never copies histories.
 *
 * @param topIds null when no top-k is recorded
 */
record BeamNode(BeamNode parent, long token, float logProb, int[] topIds, float[] topLogProbs, int length) {

    static BeamNode after(BeamNode parent, long token, float logProb, int[] topIds, float[] topLogProbs) {
        return new BeamNode(parent, token, logProb, topIds, topLogProbs, parent == null ? 1 : parent.length + 1);
    }

    Hypothesis toHypothesis(double score, boolean finished, int vocabSize) {
        long[] tokens = new long[length];
        float[] logProbs = new float[length];
        int[][] ids = topIds == null ? null : new int[length][];
        float[][] tops = topIds == null ? null : new float[length][];
        BeamNode node = this;
        for (int i = length - 1; i >= 0; i--, node = node.parent) {
            tokens[i] = node.token;
            logProbs[i] = node.logProb;
            if (ids != null) {
                ids[i] = node.topIds;
                tops[i] = node.topLogProbs;
            }
        }
        return new Hypothesis(tokens, logProbs, score, finished, ids == null ? null : TopKLogProbs.of(vocabSize, ids, tops));
    }
}
