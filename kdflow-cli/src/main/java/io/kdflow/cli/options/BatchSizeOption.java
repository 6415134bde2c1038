package io.kdflow.cli.options;

import io.kdflow.core.error.BadInputException;
import picocli.CommandLine.Option;

/** {@code --batch-size B}: examples a command runs through the model together. */
public final class BatchSizeOption {

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "16",
            description = "Examples run through the model together (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    public int batchSize() {
        if (batchSize < 1) {
            throw new BadInputException("--batch-size must be >= 1, got " + batchSize);
        }
        return batchSize;
    }
}
