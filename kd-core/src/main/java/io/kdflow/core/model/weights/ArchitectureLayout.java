package io.kdflow.core.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.ModelConfig;
import java.util.List;
import java.util.Map;

/**
 * How one architecture's Hugging Face checkpoint maps onto our model: the canonical tensors (as
 * {@code transformers} saves them, tied weights once), alternative names older or base-model
 * checkpoints use, tensors that may be present but are not weights, and the model built from them.
 */
public interface ArchitectureLayout<C extends ModelConfig> {

    /** Canonical tensors in save order. */
    List<TensorSpec> tensors(C config);

    /** Names to look for, best first, for a canonical tensor (prefix-less variants, tied copies). */
    List<String> candidates(C config, String canonicalName);

    /** Whether an unused checkpoint tensor is expected (duplicated tied weights, buffers). */
    boolean ignorable(C config, String name);

    /**
     * Name prefix of layer i of a stack without the index, e.g. {@code "model.decoder.layers."}; null
     * when the architecture has no such stack (GPT-2's encoder).
     */
    String layerPrefix(boolean decoder);

    /**
     * Tensors stored in layer 0 that belong to the whole stack (T5's relative attention bias): named
     * relative to the layer prefix, e.g. {@code "layer.0.SelfAttention.relative_attention_bias.weight"}.
     */
    default List<String> stackTensorsInLayerZero() {
        return List.of();
    }

    /** Builds the model from canonical tensors, taking ownership of the arrays. */
    PretrainedModel build(C config, Map<String, NDArray> tensors, NDManager manager);
}
