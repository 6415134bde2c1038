package io.kdflow.cli;

import io.kdflow.cli.options.JobOverridesOption;
import io.kdflow.cli.pipeline.PipelineRun;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdflow run --job FILE}: the job through the streaming pipeline. Without {@code --bootstrap}, starts the
 * embedded broker and the four services as processes (state and logs in {@code <output>/<job>/}), submits the job
 * and its inputs, follows it with a progress line, prints teacher vs CE student vs KD student, writes the report,
 * and stops everything it started (on Ctrl-C and timeout too). With {@code --bootstrap} it submits to and follows an
 * existing cluster. With {@code --containers} the broker and the services are containers of the images that
 * {@code tools/containers.sh build} makes (docs/containers.md).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a job file through the streaming pipeline: the embedded broker and the four services "
                + "(or an existing cluster with --bootstrap), live progress, the final comparison and a report in "
                + "<output>/<job>/.")
final class RunCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--job", paramLabel = "FILE", required = true, description = "The job file (YAML, docs/jobs.md).")
    Path job;

    @Mixin
    JobOverridesOption overrides;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Submit to and follow an existing Kafka cluster instead of starting one.")
    String bootstrap;

    @Option(names = "--containers",
            description = "Start the broker and the services as containers of the images tools/containers.sh builds "
                    + "(docs/containers.md) instead of processes.")
    boolean containers;

    @Option(names = "--timeout-minutes", defaultValue = "60", paramLabel = "N",
            description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() throws InterruptedException {
        return run(spec, job, overrides.overrides(), Optional.ofNullable(bootstrap), timeoutMinutes, containers);
    }

    /** Runs {@code jobFile} through the pipeline; shared with {@code kdflow demo}. */
    static int run(picocli.CommandLine.Model.CommandSpec spec, Path jobFile, List<String> overrides,
            Optional<String> bootstrap, int timeoutMinutes) throws InterruptedException {
        return run(spec, jobFile, overrides, bootstrap, timeoutMinutes, false);
    }

    private static int run(picocli.CommandLine.Model.CommandSpec spec, Path jobFile, List<String> overrides,
            Optional<String> bootstrap, int timeoutMinutes, boolean containers) throws InterruptedException {
        if (containers && bootstrap.isPresent()) {
            throw new UserError("--containers starts the broker and the services here: it cannot go with --bootstrap");
        }
        if (timeoutMinutes < 1) {
            throw new UserError("--timeout-minutes " + timeoutMinutes + ": expected at least 1");
        }
        bootstrap.ifPresent(RunCommand::checkBootstrap);
        JobSpec jobSpec = JobFileOverrides.read(jobFile, overrides);
        Path home = Path.of(System.getProperty("kdflow.home", ".")).toAbsolutePath().normalize();
        PipelineRun run = new PipelineRun(home, jobSpec, bootstrap, Duration.ofMinutes(timeoutMinutes),
                spec.commandLine().getOut());
        if (containers) {
            run.inContainers();
        }
        return run.run().exitCode();
    }

    /** HOST:PORT[,HOST:PORT...], each port 1 to 65535. */
    static void checkBootstrap(String servers) {
        for (String server : servers.split(",", -1)) {
            int colon = server.lastIndexOf(':');
            boolean valid = colon > 0 && colon < server.length() - 1;
            if (valid) {
                try {
                    int port = Integer.parseInt(server.substring(colon + 1));
                    valid = port >= 1 && port <= 65535;
                } catch (NumberFormatException e) {
                    valid = false;
                }
            }
            if (!valid) {
                throw new UserError("--bootstrap " + servers + ": '" + server + "' is not HOST:PORT (e.g."
                        + " localhost:9092; several separated by commas)");
            }
        }
    }
}
