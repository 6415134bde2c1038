package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A model tensor an optimizer may update in place.
 *
 * @param name internal name (the Hugging Face name, or a fused one such as {@code ...qkv_proj.weight})
 * @param trainable false for buffers such as BART's {@code final_logits_bias}
 * @param weightDecay false for biases and layer-norm weights, as the Hugging Face Trainer does
 */
public record Parameter(String name, NDArray array, boolean trainable, boolean weightDecay) {

    /** Trainable, with weight decay unless it is a bias or a layer-norm weight. */
    public static Parameter of(String name, NDArray array) {
        return new Parameter(name, array, true, decays(name));
    }

    /** Not updated by training (a buffer). */
    public static Parameter buffer(String name, NDArray array) {
        return new Parameter(name, array, false, false);
    }

    static boolean decays(String name) {
        String leaf = name.substring(name.lastIndexOf('.') + 1);
        boolean norm = name.contains("layer_norm") || name.contains("layernorm") || name.contains(".ln_")
                || name.startsWith("ln_");
        return !leaf.equals("bias") && !norm;
    }
}
