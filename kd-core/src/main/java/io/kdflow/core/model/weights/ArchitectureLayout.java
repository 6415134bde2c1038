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

    /** Builds the model from canonical tensors, taking ownership of the arrays. */
    PretrainedModel build(C config, Map<String, NDArray> tensors, NDManager manager);
}
