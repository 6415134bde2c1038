package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.ModelConfig;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face-compatible model on DJL NDArrays. Its weights live in its own NDManager, closed with
 * the model. Every forward method returns arrays attached to the manager of its first NDArray
 * argument, so a caller that opens one sub-manager per batch or step frees everything at once.
 */
public interface PretrainedModel extends AutoCloseable {

    ModelConfig config();

    /** Every tensor of the model, in a stable order, for optimizers and gradient checks. */
    List<Parameter> parameters();

    /**
     * The weights under their Hugging Face names and layouts (q/k/v split, Conv1D transposed back,
     * tied weights once), as new arrays in {@code manager}.
     */
    Map<String, NDArray> stateDict(NDManager manager);

    /** The manager that owns the weights. */
    NDManager manager();

    @Override
    void close();
}
