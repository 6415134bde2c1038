package io.kdflow.core.tokenizer;

import io.kdflow.core.error.BadInputException;
import java.nio.file.Path;

/** A tokenizer file that is missing, unreadable or not a usable Hugging Face {@code tokenizer.json}. */
public final class TokenizerFileException extends BadInputException {

    private static final long serialVersionUID = 1L;

    public TokenizerFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public TokenizerFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
