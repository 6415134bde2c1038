package io.kdflow.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR}: the Hugging Face model directory a command reads. */
public final class ModelOption {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model directory.")
    private Path model;

    public Path path() {
        return model;
    }
}
