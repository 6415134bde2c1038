package io.kdflow.cli.pipeline;

import io.kdflow.cli.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One kdflow Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) running as a child JVM with its
 * own HTTP port and log file; ready once {@code /q/health/ready} answers 200. Stopped by {@link #close()}, or by
 * a shutdown hook when this JVM exits first (SIGTERM, Ctrl-C): no orphaned services.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final List<String> command;
    private final Path workDir;
    private final Process process;
    private final int httpPort;
    private final Path log;
    private final Thread stopOnExit;

    private ServiceProcess(String name, List<String> command, Path workDir, Process process, int httpPort, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.stopOnExit = new Thread(() -> stop(Duration.ofSeconds(10)), "stop " + name);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts {@code <home>/<module>/target/quarkus-app/quarkus-run.jar} in {@code home} with the given system
     * properties. Libtorch workers sleep when idle (OMP_WAIT_POLICY=PASSIVE): the broker and four services share
     * the machine's cores.
     */
    static ServiceProcess start(Path home, String module, int httpPort, Map<String, String> properties, Path logDir) {
        Path jar = home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new UserError(jar + " is missing: build the services with ./mvnw -B -DskipTests package");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx2g", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + httpPort, "-Dquarkus.http.host=127.0.0.1"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        return start(module, command, home, httpPort, logDir.resolve(module + ".log"));
    }

    /** Starts {@code command} in {@code workDir}, its output into {@code log}, as the service {@code name}. */
    static ServiceProcess start(String name, List<String> command, Path workDir, int httpPort, Path log) {
        return start(name, command, workDir, httpPort, log, ProcessBuilder.Redirect.to(log.toFile()));
    }

    private static ServiceProcess start(String name, List<String> command, Path workDir, int httpPort, Path log,
            ProcessBuilder.Redirect output) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output);
            builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            return new ServiceProcess(name, command, workDir, builder.start(), httpPort, log);
        } catch (IOException e) {
            throw new UserError("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage());
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** The HTTP port the service listens on (127.0.0.1). */
    int httpPort() {
        return httpPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Kills the process with SIGKILL ({@link Process#destroyForcibly()} on Linux: no shutdown hook, nothing flushed
     * or committed on the way out) and waits until it is gone.
     */
    void kill() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook stops it anyway
        }
        process.destroyForcibly().waitFor();
    }

    /**
     * The same service started again with the same command line (HTTP port, data directories, model store), its
     * output appended to the same log. Call after {@link #kill()}.
     */
    ServiceProcess restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running (pid " + process.pid() + "): kill it first");
        }
        try {
            Files.writeString(log, System.lineSeparator() + "---- kdflow: " + name + " restarted after kill -9 ----"
                    + System.lineSeparator(), java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UserError("cannot write " + log + ": " + e.getMessage());
        }
        return start(name, command, workDir, httpPort, log, ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    /** Blocks until the service reports ready; fails with the end of its log if it dies or hangs. */
    void awaitReady() throws InterruptedException {
        await("/q/health/ready");
    }

    /** Blocks until the service answers UP on {@code /q/health/live}; fails with its log if it dies or hangs. */
    void awaitLive() throws InterruptedException {
        await("/q/health/live");
    }

    private void await(String path) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new UserError(name + " exited with code " + process.exitValue() + " while starting; its log "
                        + log + " ends with:\n" + tail());
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new UserError(name + " was not UP on " + path + " within " + READY_TIMEOUT.toSeconds() + " s; its log " + log
                + " ends with:\n" + tail());
    }

    /**
     * Why the service can no longer do its part, if it cannot: its process exited, or {@code /q/health/live} answers
     * DOWN (a failed channel: a record its handler could not take stops the channel, see the delivery guarantees
     * in docs/architecture.md). An unanswered request counts as alive (a busy service answers late).
     */
    Optional<String> failure() {
        if (!process.isAlive()) {
            return Optional.of(name + " exited with code " + process.exitValue());
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/live"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 503 ? Optional.of(name + " reports DOWN on /q/health/live") : Optional.empty();
        } catch (IOException busy) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The last 20 lines of the log. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook stops the process anyway
        }
        stop(Duration.ofSeconds(30));
    }

    /** SIGTERM, then SIGKILL after {@code grace}: a service whose broker is gone can hang in its shutdown. */
    /** Asks the process to stop (SIGTERM) without waiting, so that several services shut down at once. */
    void requestStop() {
        process.destroy();
    }

    private void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
