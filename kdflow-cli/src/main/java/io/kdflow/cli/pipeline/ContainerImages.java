package io.kdflow.cli.pipeline;

import io.kdflow.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code docker run} command lines of {@code ./kdflow run --containers}: the broker image and the four service
 * images that {@code tools/containers.sh build} makes ({@code kdflow/<module>:<version>}, docs/containers.md).
 * Every container uses the host's network (all on 127.0.0.1, as with processes) and sees the kdflow checkout
 * read-only (job files, teachers) and the run directory read-write, each at its own path, so that the paths in the
 * job and in the services' configuration mean the same inside and out. The containers run as the caller's user, as
 * the processes would: files they write belong to whoever ran {@code ./kdflow}, and every directory the caller can
 * reach (a checkout in a private home directory, a run directory only its owner may enter) is reachable inside.
 * Kubernetes runs the images as their own non-root user (deploy/); tools/containers.sh health checks that user.
 */
final class ContainerImages {

    /** Label of every container a run starts, to find and remove leftovers. */
    static final String LABEL = "io.kdflow.container=run";
    static final String BROKER_MODULE = "embedded-kafka";

    private final Path home;
    private final String version;
    private final Path runDir;
    private final Path djlCache;
    private final List<String> user;

    ContainerImages(Path home, String version, Path runDir, Path djlCache, List<String> user) {
        this.home = home;
        this.version = version;
        this.runDir = runDir;
        this.djlCache = djlCache;
        this.user = user;
    }

    /**
     * Checks that a Docker daemon answers and that the five images of this checkout's version exist, and creates
     * the directories the containers write and must find (a missing mount source would be created by the daemon).
     */
    static ContainerImages prepare(Path home, Path runDir) {
        String version = LocalCluster.version(home);
        // libtorch is unpacked once, into the processes' cache (./kdflow sets DJL_CACHE_DIR; tests set it too).
        String cache = System.getenv("DJL_CACHE_DIR");
        Path djlCache = cache == null || cache.isBlank() ? home.resolve(".kdflow/cache/djl") : Path.of(cache);
        ContainerImages images = new ContainerImages(home, version, runDir, djlCache.toAbsolutePath().normalize(),
                callerUser());
        images.requireImages();
        LocalCluster.createDirectories(runDir);
        LocalCluster.createDirectories(images.djlCache);
        return images;
    }

    String image(String module) {
        return "kdflow/" + module + ":" + version;
    }

    static String containerName(String module) {
        return "kdflow-run-" + module;
    }

    /**
     * What runs the broker in place of {@code java -jar <broker jar>}: the broker image, attached with stdin open
     * ({@code -i}), so that the broker stops when its launcher goes away, as the broker process does.
     */
    List<String> brokerLauncher() {
        List<String> command = dockerRun(BROKER_MODULE);
        command.add(2, "-i");
        // The run directory, which exists: a mount source Docker had to create would be root's.
        command.addAll(List.of("-v", mount(runDir, false), image(BROKER_MODULE)));
        return command;
    }

    /**
     * The service image with {@code properties} as environment variables (SmallRye maps {@code KAFKA_BOOTSTRAP_SERVERS}
     * to {@code kafka.bootstrap.servers}, as in deploy/), listening on 127.0.0.1:{@code httpPort}, with the heap and
     * GC of {@link ServiceProcess}'s processes. Attached: SIGTERM to the {@code docker run} reaches the service.
     */
    List<String> serviceCommand(String module, int httpPort, Map<String, String> properties) {
        List<String> command = dockerRun(module);
        command.addAll(List.of("-v", mount(home, true), "-v", mount(runDir, false), "-v", mount(djlCache, false)));
        environment("quarkus.http.port", Integer.toString(httpPort), command);
        environment("quarkus.http.host", "127.0.0.1", command);
        properties.forEach((key, value) -> environment(key, value, command));
        command.addAll(List.of("-e", "DJL_CACHE_DIR=" + djlCache, "-e", "ENGINE_CACHE_DIR=" + djlCache,
                "-e", "JAVA_TOOL_OPTIONS=-Xmx2g -XX:+UseSerialGC", image(module)));
        return command;
    }

    /**
     * Fails naming the first file the containers could not see: they see the checkout and the run directory only.
     *
     * @param files the job's files by the job-file field that names them
     */
    void requireVisible(Map<String, String> files) {
        files.forEach((field, file) -> {
            Path path = Path.of(file).toAbsolutePath().normalize();
            if (!path.startsWith(home) && !path.startsWith(runDir)) {
                throw new UserError("--containers: " + field + " " + path + " is outside the kdflow checkout " + home
                        + " and the run directory " + runDir + ", the only directories the containers see; copy it"
                        + " into one of them");
            }
        });
    }

    /** Removes the containers of a run that are still there (a launcher killed before its container stopped). */
    static void removeLeftovers(List<String> modules) {
        List<String> command = new ArrayList<>(List.of("docker", "rm", "-f"));
        modules.forEach(module -> command.add(containerName(module)));
        docker(command);
    }

    /** {@code kafka.session.timeout.ms} -> {@code KAFKA_SESSION_TIMEOUT_MS}: the environment name SmallRye maps. */
    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private List<String> dockerRun(String module) {
        List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "--name", containerName(module),
                "--label", LABEL, "--network", "host"));
        command.addAll(user);
        return command;
    }

    private static void environment(String property, String value, List<String> command) {
        command.addAll(List.of("-e", environmentName(property) + "=" + value));
    }

    private static String mount(Path dir, boolean readOnly) {
        return dir + ":" + dir + (readOnly ? ":ro" : "");
    }

    private void requireImages() {
        if (docker(List.of("docker", "info")) != 0) {
            throw new UserError("--containers: no Docker daemon answers; run tools/containers.sh run ... (it starts"
                    + " one), or start dockerd yourself (docs/containers.md)");
        }
        for (String module : Stream.concat(Stream.of(BROKER_MODULE), ServiceConfig.SERVICES.stream()).toList()) {
            if (docker(List.of("docker", "image", "inspect", image(module))) != 0) {
                throw new UserError("--containers: no image " + image(module) + "; build the images with"
                        + " tools/containers.sh build (docs/containers.md)");
            }
        }
    }

    /** {@code --user UID:GID} of this process, read from the owner of {@code /proc/self} (Docker runs on Linux). */
    private static List<String> callerUser() {
        Path self = Path.of("/proc/self");
        try {
            return List.of("--user", Files.getAttribute(self, "unix:uid") + ":" + Files.getAttribute(self, "unix:gid"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new UserError("--containers: cannot tell this process's user from " + self + ": " + e.getMessage());
        }
    }

    /** Runs a docker command quietly; its exit code (127 when there is no docker command). */
    private static int docker(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return 124;
            }
            return process.exitValue();
        } catch (IOException noDocker) {
            return 127;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
