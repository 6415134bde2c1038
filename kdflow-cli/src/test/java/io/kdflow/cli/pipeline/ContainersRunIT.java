package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kdflow.cli.CommandRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kdflow run --containers} on jobs/chaos-tiny.yaml: the broker and the four services as containers of the
 * images tools/containers.sh builds, against the same job run with processes (the job's data cut to half, to keep
 * CI short). Both complete, each service ran from its image's entry point, nothing of the run is left in Docker, and
 * the trainer took the same optimizer steps with the same losses (within the chaos matrix's 1e-5 relative: batches
 * are cut as records arrive). Not part of the default {@code verify}: tools/containers-ci.sh runs it with a Docker daemon and the
 * images ({@code -Dit.test=ContainersRunIT}); without them it is skipped with the reason.
 */
class ContainersRunIT {

    /** Half of chaos-tiny's data: 20 labeled and 20 unlabeled inputs, 8 dev and 8 test examples. */
    private static final List<String> SMALLER = List.of("--set", "task.train_size=20", "--set",
            "task.unlabeled_size=20", "--set", "task.dev_size=8", "--set", "task.test_size=8");

    @TempDir
    Path dir;

    @Test
    void shouldRunTheJobInContainersWithTheSameLossesAsWithProcesses() throws Exception {
        Path home = Path.of(System.getProperty("kdflow.home", "..")).toAbsolutePath().normalize();
        assumeTrue(docker("info").exitCode() == 0, "no Docker daemon answers: tools/containers-ci.sh starts one");
        String image = "kdflow/evaluator:" + LocalCluster.version(home);
        assumeTrue(docker("image", "inspect", image).exitCode() == 0,
                "no image " + image + ": build the images with tools/containers.sh build");
        Path job = home.resolve("jobs/chaos-tiny.yaml");

        long start = System.nanoTime();
        CommandRun processes = run(job, "processes");
        long processSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println(processes.out());
        assertThat(processes.exitCode()).as("process run:%n%s%n%s", processes.out(), processes.err()).isZero();

        start = System.nanoTime();
        CommandRun containers = run(job, "containers", "--containers");
        long containerSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println(containers.out());
        assertThat(containers.exitCode()).as("container run:%n%s%n%s", containers.out(), containers.err()).isZero();
        assertThat(containers.out()).contains("(container of kdflow/embedded-kafka:")
                .contains("starting the services as containers").contains("final comparison");

        for (String service : ServiceConfig.SERVICES) {
            // The images' entry point runs java, which names the options the container was given; processes get none.
            assertThat(Files.readString(dir.resolve("containers/chaos-tiny/logs/" + service + ".log")))
                    .as("%s's log", service).contains("Picked up JAVA_TOOL_OPTIONS: -Xmx2g -XX:+UseSerialGC");
        }
        StepLogs inContainers = StepLogs.read(dir.resolve("containers/chaos-tiny/model-store"));
        StepLogs asProcesses = StepLogs.read(dir.resolve("processes/chaos-tiny/model-store"));
        assertThat(asProcesses.size()).as("optimizer steps of the process run").isPositive();
        StepLogs.Comparison losses = inContainers.compareWith(asProcesses, ChaosMatrix.LOSS_TOLERANCE);
        System.out.printf("containers vs processes: %d steps compared, %d bit-equal, max relative loss difference "
                + "%.3g; process run %d s, container run %d s%n", losses.compared(), losses.exact(),
                losses.maxRelative(), processSeconds, containerSeconds);
        assertThat(losses.differences()).as("step logs, containers vs processes").isEmpty();
        assertThat(losses.compared()).isEqualTo(asProcesses.size());

        assertThat(docker("ps", "-aq", "--filter", "label=" + ContainerImages.LABEL).out())
                .as("containers left by the run").isBlank();
    }

    private CommandRun run(Path job, String output, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--job", job.toString(), "--set",
                "output=" + dir.resolve(output), "--timeout-minutes", "10"));
        args.addAll(SMALLER);
        args.addAll(List.of(options));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private record Docker(int exitCode, String out) {}

    private static Docker docker(String... args) throws InterruptedException {
        List<String> command = Stream.concat(Stream.of("docker"), Stream.of(args)).toList();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Docker(process.waitFor(), out);
        } catch (IOException noDocker) {
            return new Docker(127, noDocker.getMessage());
        }
    }
}
