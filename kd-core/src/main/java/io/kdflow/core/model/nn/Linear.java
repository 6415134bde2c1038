package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * y = x W^T + b with W of shape (out, in). Inputs of more than two axes are flattened to (N, in)
 * first: libtorch's C++ linear fuses the bias into the matrix multiply (addmm) only for 2-D input,
 * and adds it in a separate pass over the output otherwise.
 *
 * <p>The product runs on oneDNN ({@link OneDnnLinear}): where grad mode is off (decoding, scoring, a teacher's
 * forward pass) with the weight packed once ({@link PackedWeights}); where it is on (training) as
 * {@code mkldnn_linear}, which has a gradient. Small products, weights that are not float32, or with the switch off,
 * on libtorch's {@code linear} (MKL's sgemm).
 */
public record Linear(NDArray weight, NDArray bias) {

    /** (..., in) -> (..., out); the result lives in {@code x}'s manager. */
    public NDArray apply(NDArray x) {
        Shape shape = x.getShape();
        int axes = shape.dimension();
        if (axes == 2) {
            return fused(x);
        }
        NDArray flat = fused(x.reshape(-1, shape.get(axes - 1))); // (N, out)
        return flat.reshape(shape.slice(0, axes - 1).add(outFeatures()));
    }

    private NDArray fused(NDArray x) {
        long rows = x.getShape().get(0);
        if (rows > 0 && OneDnnLinear.packable(weight)) {
            Shape shape = weight.getShape(); // (out, in)
            boolean training = JniUtils.isGradMode();
            if (OneDnnLinear.serves(rows * shape.get(0) * shape.get(1), training)) {
                return training ? OneDnnLinear.trainingLinear(x, weight, bias, LinearPrecision.current())
                        : packedLinear(x);
            }
        }
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * Decoding steps read a weight dozens of times per batch: its packed copy is kept ({@link PackedWeights}). A
     * whole-sequence pass (inside a {@link LayerScope}) reads each weight once, over many rows, so packing per call
     * costs little and keeps no second copy of the model: scoring a bart-base-shape model with every copy kept
     * peaked 1.4x transformers' memory, against 1.1x. A copy that decoding already keeps is used either way.
     */
    private NDArray packedLinear(NDArray x) {
        LinearPrecision precision = LinearPrecision.current();
        NDArray kept = LayerScope.active() ? PackedWeights.held(weight, precision)
                : PackedWeights.of(weight, precision);
        if (kept != null) {
            return OneDnnLinear.linear(x, kept, bias, precision);
        }
        try (NDArray once = OneDnnLinear.pack(weight, x.getManager(), precision)) {
            return OneDnnLinear.linear(x, once, bias, precision);
        }
    }

    public long outFeatures() {
        return weight.getShape().get(0);
    }
}
