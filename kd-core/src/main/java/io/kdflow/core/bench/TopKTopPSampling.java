package io.kdflow.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.nn.Scalars;

/**
 * The per-token arithmetic of top-k / top-p sampling, for timing only (the product sampler lives in
 * {@code io.kdflow.core.decoding}): the k best logits, their renormalised probabilities, drop those
 * whose preceding cumulative mass already exceeds p, draw one. The baseline takes the k best of the
 * log-softmax; softmax is shift-invariant, so the k best logits give the same probabilities without
 * normalising the whole vocabulary.
 * The draw uses the exponential-race trick, argmax(p_i / E_i) with E_i ~ Exp(1), which picks i with
 * probability p_i (DJL has no multinomial).
 */
final class TopKTopPSampling {

    private final int topK;
    private final float topP;
    private final Scalars scalars;

    TopKTopPSampling(int topK, float topP, NDManager scalarManager) {
        this.topK = topK;
        this.topP = topP;
        this.scalars = new Scalars(scalarManager);
    }

    /** logits (B, V) -> next token ids (B, 1) int64, in {@code logits}' manager. */
    NDArray next(NDArray logits) {
        int k = (int) Math.min(topK, logits.getShape().get(1));
        NDList top = logits.topK(k, -1, true, true); // values, indices: (B, k)
        NDArray probs = top.get(0).softmax(-1); // (B, k)
        NDArray before = probs.cumSum(-1).sub(probs); // mass of the better candidates
        NDArray kept = probs.mul(before.lte(scalars.of(topP))); // bool promotes to float
        Shape shape = kept.getShape();
        NDArray exponential = logits.getManager().randomUniform(0f, 1f, shape).log().neg(); // (B, k) ~ Exp(1)
        NDArray choice = kept.div(exponential).argMax(-1).expandDims(-1); // (B, 1) position among the k
        return top.get(1).gather(choice, 1); // (B, 1) token ids
    }
}
