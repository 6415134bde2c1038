package io.kdflow.cli.options;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --input IN.jsonl --output OUT.jsonl}: the line files of a command that works example by example. */
public final class JsonLinesOptions {

    @Option(names = "--input", required = true, paramLabel = "IN.jsonl",
            description = "JSON Lines input, one example per line (fields: see the command's description).")
    private Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.jsonl", description = "Where to write results.")
    private Path output;

    public Path input() {
        return input;
    }

    public Path output() {
        return output;
    }
}
