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
 * images tools/containers.sh builds, against the same job run with processes. Both complete, the container run's
 * state was written by the images' non-root user, nothing of the run is left in Docker, and the trainer took the
 * same optimizer steps with the same losses (within the chaos matrix's 1e-5 relative: batches are cut as records
 * arrive). Not part of the default {@code verify}: tools/containers-ci.sh runs it with a Docker daemon and the
 * images ({@code -Dit.test=ContainersRunIT}); without them it is skipped with the reason.
 */
class ContainersRunIT {

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
        CommandRun processes = CommandRun.of("run", "--job", job.toString(), "--set",
                "output=" + dir.resolve("processes"), "--timeout-minutes", "10");
        long processSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println(processes.out());
        assertThat(processes.exitCode()).as("process run:%n%s%n%s", processes.out(), processes.err()).isZero();

        start = System.nanoTime();
        CommandRun containers = CommandRun.of("run", "--containers", "--job", job.toString(), "--set",
                "output=" + dir.resolve("containers"), "--timeout-minutes", "10");
        long containerSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println(containers.out());
        assertThat(containers.exitCode()).as("container run:%n%s%n%s", containers.out(), containers.err()).isZero();
        assertThat(containers.out()).contains("(container of kdflow/embedded-kafka:")
                .contains("starting the services as containers").contains("final comparison");

        Path store = dir.resolve("containers/chaos-tiny/model-store");
        StepLogs inContainers = StepLogs.read(store);
        StepLogs asProcesses = StepLogs.read(dir.resolve("processes/chaos-tiny/model-store"));
        assertThat(asProcesses.size()).as("optimizer steps of the process run").isPositive();
        if (isRoot()) { // as root the run hands its directory to the images' user, who writes the trainer's state
            for (Path log : stepLogs(store)) {
                assertThat(Files.getAttribute(log, "unix:uid")).as("owner of %s", log)
                        .isEqualTo(ContainerImages.IMAGE_UID);
            }
        }
        StepLogs.Comparison losses = inContainers.compareWith(asProcesses, ChaosMatrix.LOSS_TOLERANCE);
        System.out.printf("containers vs processes: %d steps compared, %d bit-equal, max relative loss difference "
                + "%.3g; process run %d s, container run %d s%n", losses.compared(), losses.exact(),
                losses.maxRelative(), processSeconds, containerSeconds);
        assertThat(losses.differences()).as("step logs, containers vs processes").isEmpty();
        assertThat(losses.compared()).isEqualTo(asProcesses.size());

        assertThat(docker("ps", "-aq", "--filter", "label=" + ContainerImages.LABEL).out())
                .as("containers left by the run").isBlank();
    }

    private static List<Path> stepLogs(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(f -> f.getFileName().toString().equals("steps.jsonl")).toList();
        }
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
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
