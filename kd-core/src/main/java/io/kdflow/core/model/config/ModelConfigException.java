package io.kdflow.core.model.config;

import io.kdflow.core.error.BadInputException;

/** A model or generation config that cannot be used: the message names the file, the key and the problem. */
public class ModelConfigException extends BadInputException {

    private static final long serialVersionUID = 1L;

    public ModelConfigException(String file, String key, String problem) {
        super(file + ": key '" + key + "': " + problem);
    }

    public ModelConfigException(String file, String problem) {
        super(file + ": " + problem);
    }

    public ModelConfigException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
