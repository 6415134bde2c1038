package io.kdflow.cli;

import io.kdflow.cli.options.JobOverridesOption;
import io.kdflow.cli.pipeline.ChaosMatrix;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdflow chaos --job FILE}: the kill -9 matrix on the local pipeline ({@link ChaosMatrix}). Runs the job
 * uninterrupted, then once per process with that process killed with SIGKILL at seeded points and restarted, checks
 * each run and prints the table (also {@code <output>/<job>/chaos.md} and {@code chaos.json}).
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Kill -9 matrix: run the job through the local pipeline once uninterrupted, then once per process"
                + " with that process killed (SIGKILL) at seeded points and restarted; check that the job completes,"
                + " the PT count is exact, the trainer's losses equal the uninterrupted run's and the evaluator reports"
                + " each checkpoint once. Exits 6 when a check fails.")
final class ChaosCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--job", paramLabel = "FILE", required = true,
            description = "The job file (YAML, docs/jobs.md), e.g. jobs/chaos-tiny.yaml.")
    Path job;

    @Mixin
    JobOverridesOption overrides;

    @Option(names = "--processes", paramLabel = "LIST", defaultValue = "sampler,teacher,trainer,evaluator,broker",
            description = "Processes to kill, comma-separated (default: ${DEFAULT-VALUE}).")
    String processes;

    @Option(names = "--kills", paramLabel = "N", defaultValue = "5",
            description = "Kills per process (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7",
            description = "Seed of the kill points (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout-minutes", defaultValue = "10", paramLabel = "N",
            description = "Give up on one run after this long (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() throws InterruptedException {
        if (timeoutMinutes < 1) {
            throw new UserError("--timeout-minutes " + timeoutMinutes + ": expected at least 1");
        }
        JobSpec jobSpec = JobFileOverrides.read(job, overrides.overrides());
        Path home = Path.of(System.getProperty("kdflow.home", ".")).toAbsolutePath().normalize();
        return new ChaosMatrix(home, jobSpec, processes, kills, seed, Duration.ofMinutes(timeoutMinutes),
                spec.commandLine().getOut()).run();
    }
}
