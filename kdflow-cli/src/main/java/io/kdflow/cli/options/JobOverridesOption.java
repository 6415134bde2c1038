package io.kdflow.cli.options;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --set KEY.PATH=VALUE}, repeatable: overrides of a job file's keys, applied in order after the file. */
public final class JobOverridesOption {

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override a key of the job file, e.g. --set optimization.epochs=3 (repeatable).")
    private List<String> overrides = new ArrayList<>();

    /** The overrides in the order given. */
    public List<String> overrides() {
        return List.copyOf(overrides);
    }
}
