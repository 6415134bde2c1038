package io.kdflow.core.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** The top-k token ids and log-probs of each row of one decoding step, copied to Java. */
record StepTopK(int[][] ids, float[][] logProbs) {

    /** @param logProbs (rows, V) log-softmax of the raw logits */
    static StepTopK of(NDArray logProbs, int k) {
        int rows = Math.toIntExact(logProbs.getShape().get(0));
        NDList top = logProbs.topK(k, 1, true, true);
        float[] values = top.get(0).toFloatArray();
        long[] indices = top.get(1).toLongArray();
        int[][] ids = new int[rows][k];
        float[][] logs = new float[rows][k];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                ids[r][j] = Math.toIntExact(indices[r * k + j]);
                logs[r][j] = values[r * k + j];
            }
        }
        return new StepTopK(ids, logs);
    }
}
