package io.kdflow.cli;

import io.kdflow.cli.demo.DemoRun;
import io.kdflow.cli.demo.DemoSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdflow demo}: the whole pipeline on the embedded broker with the bundled Shakespeare data. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the pipeline on the embedded broker: a KRaft broker and the four services as separate "
                + "processes, the bundled Shakespeare task (quick profile), progress, a report in runs/<id>/.",
            "Current stage: the sampler forwards gold targets (teacher sampling arrives with the distillation "
                + "work), the trainer trains a small BART student with cross-entropy and the evaluator scores "
                + "every checkpoint."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--examples", defaultValue = "1600",
            description = "Training examples streamed through the pipeline (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--dev-examples", defaultValue = "40",
            description = "Dev examples each checkpoint is evaluated on (default: ${DEFAULT-VALUE}).")
    int devExamples;

    @Option(names = "--batch-size", defaultValue = "16", description = "Targets per training step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--checkpoints", defaultValue = "4", description = "Checkpoints to evaluate (default: ${DEFAULT-VALUE}).")
    int checkpoints;

    @Option(names = "--runs-dir", defaultValue = "runs", description = "Where run directories go (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--timeout-minutes", defaultValue = "30", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("kdflow.home", ".")).toAbsolutePath().normalize();
        DemoSettings settings = new DemoSettings(examples, devExamples, batchSize, checkpoints, timeoutMinutes);
        return new DemoRun(home, runsDir.toAbsolutePath(), settings, spec.commandLine().getOut()).run().exitCode();
    }
}
