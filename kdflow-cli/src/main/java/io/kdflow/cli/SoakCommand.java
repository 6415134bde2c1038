package io.kdflow.cli;

import io.kdflow.cli.options.JobOverridesOption;
import io.kdflow.cli.soak.SoakRun;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdflow soak} (hidden; tools/soak.sh runs it): pt-sampler and student-trainer under a backlog of at least
 * 20,000 inputs, their RSS and consumer lag sampled into a CSV and a plot, and the checks of docs/operations.md,
 * "Load and soak". Exit code 0 when every check passed, 1 otherwise.
 */
@Command(name = "soak", hidden = true, mixinStandardHelpOptions = true,
        description = "Load test: the broker, teacher-service, pt-sampler and student-trainer under a job's whole "
                + "input backlog; samples RSS and consumer lag into <output>/<job>/soak/ (soak.csv, soak.png, summary.txt).")
final class SoakCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--job", paramLabel = "FILE", defaultValue = "tools/soak-job.yaml",
            description = "The job file (default: ${DEFAULT-VALUE}, relative to the kdflow home).")
    Path job;

    @Mixin
    JobOverridesOption overrides;

    @Option(names = "--minutes", defaultValue = "10", paramLabel = "N",
            description = "Sample at least this long (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--timeout-minutes", defaultValue = "40", paramLabel = "N",
            description = "Give up when not drained after this long (default: ${DEFAULT-VALUE}).")
    double timeoutMinutes;

    @Option(names = "--sample-seconds", defaultValue = "5", paramLabel = "S",
            description = "Seconds between samples (default: ${DEFAULT-VALUE}).")
    double sampleSeconds;

    @Option(names = "--rss-bound-mb", defaultValue = "1536", paramLabel = "MIB",
            description = "The trainer's RSS bound over the last third of the soak (default: ${DEFAULT-VALUE}).")
    double rssBoundMb;

    @Option(names = "--max-slope-mb-per-min", defaultValue = "10", paramLabel = "MIB",
            description = "The trainer's largest RSS growth over the last third still called flat, MiB per minute "
                    + "(default: ${DEFAULT-VALUE}).")
    double maxSlope;

    @Option(names = "--min-inputs", defaultValue = "20000", paramLabel = "N",
            description = "The smallest backlog accepted (default: ${DEFAULT-VALUE}).")
    int minInputs;

    @Override
    public Integer call() throws InterruptedException {
        Path home = Path.of(System.getProperty("kdflow.home", ".")).toAbsolutePath().normalize();
        Path jobFile = job.isAbsolute() || job.toFile().exists() ? job : home.resolve(job);
        JobSpec jobSpec = JobFileOverrides.read(jobFile, overrides.overrides());
        SoakRun.Settings settings = new SoakRun.Settings(minutes, timeoutMinutes, sampleSeconds, rssBoundMb, maxSlope,
                minInputs);
        return new SoakRun(home, jobSpec, settings, spec.commandLine().getOut()).run() ? 0 : 1;
    }
}
