package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

/** Label helpers with {@code transformers}' conventions (-100 = ignored position). */
public final class Labels {

    /** The label value cross-entropy ignores. */
    public static final long IGNORE_INDEX = -100;

    private Labels() {}

    /**
     * Decoder inputs for teacher forcing: (B, T) labels shifted one step right, the decoder start token
     * first, -100 replaced by the pad token ({@code shift_tokens_right}).
     */
    public static NDArray shiftRight(NDArray labels, int decoderStartTokenId, int padTokenId) {
        long batch = labels.getShape().get(0);
        NDArray start = labels.getManager().full(new ai.djl.ndarray.types.Shape(batch, 1), decoderStartTokenId,
                DataType.INT64);
        NDArray shifted = NDArrays.concat(new ai.djl.ndarray.NDList(start,
                labels.get(":, :{}", labels.getShape().get(1) - 1)), 1);
        NDArray ignored = shifted.eq(IGNORE_INDEX);
        NDArray pad = shifted.getManager().full(shifted.getShape(), padTokenId, DataType.INT64);
        return NDArrays.where(ignored, pad, shifted);
    }
}
