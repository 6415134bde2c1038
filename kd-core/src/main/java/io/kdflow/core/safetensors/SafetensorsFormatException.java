package io.kdflow.core.safetensors;

import io.kdflow.core.error.BadInputException;

/**
 * A safetensors file (or shard index) that breaks the format: the message names the file, the tensor
 * when one is at fault, and what is wrong.
 */
public class SafetensorsFormatException extends BadInputException {

    private static final long serialVersionUID = 1L;

    /** Problem with the file as a whole (header, sizes). */
    public SafetensorsFormatException(String file, String problem) {
        super(file + ": " + problem);
    }

    /** Problem with one tensor entry. */
    public SafetensorsFormatException(String file, String tensor, String problem) {
        super(file + ": tensor '" + tensor + "': " + problem);
    }

    /** Problem with a cause (I/O or JSON parse). */
    public SafetensorsFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
