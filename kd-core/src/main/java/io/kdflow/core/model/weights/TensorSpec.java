package io.kdflow.core.model.weights;

import ai.djl.ndarray.types.Shape;

/**
 * A tensor of a Hugging Face checkpoint: canonical name, shape, how to initialise it, and whether a
 * checkpoint may lack it (then it is initialised, e.g. BART's all-zero {@code final_logits_bias}).
 */
public record TensorSpec(String name, Shape shape, WeightInit init, boolean optional) {

    public static TensorSpec required(String name, WeightInit init, long... shape) {
        return new TensorSpec(name, new Shape(shape), init, false);
    }

    public static TensorSpec optional(String name, WeightInit init, long... shape) {
        return new TensorSpec(name, new Shape(shape), init, true);
    }
}
