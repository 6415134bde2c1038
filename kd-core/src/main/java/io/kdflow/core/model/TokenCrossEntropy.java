package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Token-level cross-entropy with ignored labels, PyTorch's {@code cross_entropy(ignore_index=-100)}. */
public final class TokenCrossEntropy {

    private TokenCrossEntropy() {}

    /**
     * Mean negative log-likelihood over positions whose label is not -100.
     *
     * @param logits (B, T, V)
     * @param labels (B, T) int64
     * @return a float32 scalar (NaN when every label is ignored, as PyTorch gives)
     */
    public static NDArray mean(NDArray logits, NDArray labels) {
        NDArray kept = labels.neq(Labels.IGNORE_INDEX); // (B, T) bool
        NDArray safeLabels = labels.mul(kept.toType(DataType.INT64, false)).expandDims(-1); // -100 -> 0
        NDArray logProbs = logits.logSoftmax(-1).gather(safeLabels, 2).squeeze(2); // (B, T)
        NDArray keptFloat = kept.toType(DataType.FLOAT32, false);
        return logProbs.mul(keptFloat).sum().neg().div(keptFloat.sum());
    }

    /**
     * Mean negative log-likelihood over already selected positions (no ignored labels among them).
     *
     * @param logits (N, V)
     * @param labels (N) int64
     * @return a float32 scalar (NaN when N = 0, as {@link #mean} gives when every label is ignored)
     */
    public static NDArray meanAt(NDArray logits, NDArray labels) {
        NDArray logProbs = logits.logSoftmax(-1).gather(labels.expandDims(-1), 1); // (N, 1)
        return logProbs.mean().neg();
    }

    /** Sum of negative log-likelihoods and count of kept positions, for token-weighted averaging. */
    public static NDArray sum(NDArray logits, NDArray labels) {
        NDArray kept = labels.neq(Labels.IGNORE_INDEX);
        NDArray safeLabels = labels.mul(kept.toType(DataType.INT64, false)).expandDims(-1);
        NDArray logProbs = logits.logSoftmax(-1).gather(safeLabels, 2).squeeze(2);
        return logProbs.mul(kept.toType(DataType.FLOAT32, false)).sum().neg();
    }
}
