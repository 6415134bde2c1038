package io.kdflow.core.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Draws the next token of every row: {@code transformers}' warpers in their order (temperature, then
 * top-k, then top-p), then one draw by inverse CDF with a uniform number per row supplied by the
 * caller (DJL has no multinomial). Top-k and top-p work on the sorted candidates only: with top-k the
 * k best, otherwise the whole vocabulary sorted once; without either, the unsorted vocabulary.
 */
final class TokenSampler {

    private final double temperature;
    private final int topK;
    private final double topP;

    TokenSampler(double temperature, int topK, double topP) {
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
    }

    /**
     * @param logits   (rows, V) processed logits
     * @param uniforms one number in (0, 1] per row
     * @return the drawn token id of every row
     */
    long[] sample(NDArray logits, double[] uniforms) {
        NDManager manager = logits.getManager();
        long rows = logits.getShape().get(0);
        long vocab = logits.getShape().get(1);
        NDArray scaled = temperature == 1.0 ? logits : logits.div((float) temperature);
        NDArray candidates = scaled; // (rows, n) logits of the candidates
        NDArray candidateIds = null; // (rows, n) their token ids; null = the identity
        if (topK > 0 && topK < vocab) {
            NDList top = scaled.topK(topK, 1, true, true);
            candidates = top.get(0);
            candidateIds = top.get(1);
        } else if (topP < 1.0) {
            NDList sorted = scaled.topK(Math.toIntExact(vocab), 1, true, true);
            candidates = sorted.get(0);
            candidateIds = sorted.get(1);
        }
        if (topP < 1.0) {
            candidates = nucleus(candidates, topP);
        }
        NDArray cumulative = candidates.softmax(1).cumSum(1); // (rows, n)
        float[] u = new float[uniforms.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) uniforms[i];
        }
        long n = cumulative.getShape().get(1);
        // the drawn position is the first whose cumulative mass reaches u x total mass
        NDArray threshold = manager.create(u, new Shape(rows, 1)).mul(cumulative.get(":, {}:", n - 1));
        NDArray positions = cumulative.lt(threshold).toType(DataType.INT64, false).sum(new int[] {1}); // (rows)
        if (candidateIds == null) {
            return positions.toLongArray();
        }
        return candidateIds.gather(positions.reshape(rows, 1), 1).toLongArray();
    }

    /**
     * Top-p on logits sorted in descending order: keeps the smallest prefix whose probability mass is at
     * least {@code topP} (a position is kept while the mass before it is below {@code topP}; the first is
     * always kept) and sets the rest to -inf. The same set as {@code transformers}' TopPLogitsWarper.
     *
     * @param sortedLogits (rows, n), each row in descending order
     */
    static NDArray nucleus(NDArray sortedLogits, double topP) {
        NDArray probabilities = sortedLogits.softmax(1);
        NDArray massBefore = probabilities.cumSum(1).sub(probabilities);
        NDArray keep = massBefore.lt((float) topP);
        NDArray removed = sortedLogits.getManager().full(sortedLogits.getShape(), Float.NEGATIVE_INFINITY);
        return NDArrays.where(keep, sortedLogits, removed);
    }
}
