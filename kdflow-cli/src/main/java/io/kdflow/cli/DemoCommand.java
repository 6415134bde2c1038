package io.kdflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdflow demo}: {@code kdflow run --job jobs/shakespeare-quick.yaml} on the embedded broker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Distill the Shakespeare job (jobs/shakespeare-quick.yaml) through the streaming pipeline on "
                + "the embedded broker: teacher PTs with their logits, logit KD with Joint-Teaching, a CE baseline of "
                + "the same size, the final comparison and a report in runs/shakespeare-quick/.",
            "Same as: kdflow run --job jobs/shakespeare-quick.yaml"})
final class DemoCommand implements Callable<Integer> {

    /** The demo's job file, relative to the kdflow home. */
    static final String JOB = "jobs/shakespeare-quick.yaml";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
            description = "Override a key of the demo's job file, e.g. --set optimization.epochs=1 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--timeout-minutes", defaultValue = "30", paramLabel = "N",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() throws InterruptedException {
        Path home = Path.of(System.getProperty("kdflow.home", ".")).toAbsolutePath().normalize();
        return RunCommand.run(spec, home.resolve(JOB), overrides, Optional.empty(), timeoutMinutes);
    }
}
