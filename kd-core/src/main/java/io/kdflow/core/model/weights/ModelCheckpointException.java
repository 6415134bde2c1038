package io.kdflow.core.model.weights;

import io.kdflow.core.error.BadInputException;

/** A checkpoint that does not fit its config: missing tensor, wrong shape or dtype. */
public class ModelCheckpointException extends BadInputException {

    private static final long serialVersionUID = 1L;

    public ModelCheckpointException(String file, String tensor, String problem) {
        super(file + ": tensor '" + tensor + "': " + problem);
    }
}
