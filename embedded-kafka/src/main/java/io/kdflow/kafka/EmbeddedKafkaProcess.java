package io.kdflow.kafka;

import io.kdflow.kafka.broker.SaslPlainUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A single-node Kafka broker running in a child JVM ({@link EmbeddedKafkaMain} from the self-contained
 * broker jar). Uses only the JDK, so callers need no Kafka broker classes on their classpath.
 *
 * <pre>{@code
 * try (EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.builder().start()) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * The child stops when {@link #close()} sends SIGTERM, and also by itself when this JVM dies (its stdin
 * pipe closes), so no broker outlives its launcher.
 */
public final class EmbeddedKafkaProcess implements AutoCloseable {

    /** System property with the path of the broker jar (the {@code broker} classifier of embedded-kafka). */
    public static final String BROKER_JAR_PROPERTY = "kdflow.kafka.broker-jar";

    private final Process process;
    private final ChildOutput output;
    private final String bootstrapServers;
    private final Duration shutdownGrace;

    private EmbeddedKafkaProcess(Process process, ChildOutput output, String bootstrapServers, Duration shutdownGrace) {
        this.process = process;
        this.output = output;
        this.bootstrapServers = bootstrapServers;
        this.shutdownGrace = shutdownGrace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker child's process, e.g. for its pid or to watch it. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /**
     * Stops the broker: SIGTERM (it shuts down cleanly and deletes its data unless kept), then a hard kill
     * when it has not exited within the grace period. Waits until the process is gone. Idempotent.
     */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        // SIGTERM through the handle: Process.destroy() would also close our pipes, cutting off the child's
        // last log lines and making its stdin watcher report a parent that went away.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            // The output reader finishes right after the child exits: its last lines are in the tail.
            output.ended().get(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the output pipe stayed open (a grandchild holds it): nothing more to wait for
        }
    }

    /** Options of the child broker; every one has a default. */
    public static final class Builder {

        private Path brokerJar;
        private int port;
        private int controllerPort;
        private int partitions = 4;
        private Path dataDir;
        private boolean keepData;
        private SaslPlainUser saslPlain;
        private Duration startupTimeout = Duration.ofSeconds(90);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private List<String> jvmOptions = List.of("-Xms32m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData");
        private Consumer<String> outputSink = line -> System.err.println("[kafka] " + line);
        private List<String> launcher = List.of();

        private Builder() {
        }

        /** The broker jar; defaults to the {@value #BROKER_JAR_PROPERTY} system property. */
        public Builder brokerJar(Path brokerJar) {
            this.brokerJar = Objects.requireNonNull(brokerJar, "brokerJar");
            return this;
        }

        /** Client port on 127.0.0.1; 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * KRaft controller port on 127.0.0.1; 0 (the default) picks a free port. A broker restarted on its kept
         * data directory is given both of its earlier ports, so that clients and its own quorum find it again.
         */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /** Partitions of auto-created topics (default 4). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Storage directory; by default the child makes a temporary one. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Keep the data directory when the broker stops (default: delete it). */
        public Builder keepData(boolean keepData) {
            this.keepData = keepData;
            return this;
        }

        /** How long to wait for the ready line (default 90 s: two busy cores can be slow). */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /** How long {@link #close()} waits after SIGTERM before killing (default 30 s). */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
            return this;
        }

        /** JVM options of the child (default: small heap, serial GC, C1 only; -Xms32m keeps RSS near 270 MB). */
        public Builder jvmOptions(List<String> jvmOptions) {
            this.jvmOptions = List.copyOf(jvmOptions);
            return this;
        }

        /**
         * Runs the broker with this command instead of {@code java <jvmOptions> -jar <brokerJar>}, followed by the
         * broker's options: e.g. {@code docker run -i --rm --network host ... kdflow/embedded-kafka:<version>}, whose
         * entry point is that java command (docs/containers.md). Empty (the default) runs the broker jar.
         */
        public Builder launcher(List<String> launcher) {
            this.launcher = List.copyOf(launcher);
            return this;
        }

        /**
         * Clients must authenticate as {@code user} with SASL/PLAIN (security.protocol SASL_PLAINTEXT). For tests of
         * secured clients: the password is on the child's command line.
         */
        public Builder saslPlain(SaslPlainUser user) {
            this.saslPlain = Objects.requireNonNull(user, "user");
            return this;
        }

        /** Receives the child's log lines (default: this JVM's stderr, prefixed with {@code [kafka]}). */
        public Builder outputSink(Consumer<String> outputSink) {
            this.outputSink = Objects.requireNonNull(outputSink, "outputSink");
            return this;
        }

        /**
         * Starts the child and waits for its ready line.
         *
         * @throws IllegalStateException when the jar is missing, or the child exits or stays silent past the
         *                               startup timeout; the message carries the child's last output lines
         */
        public EmbeddedKafkaProcess start() {
            List<String> command = launcher.isEmpty() ? javaCommand(resolveBrokerJar()) : new ArrayList<>(launcher);
            command.addAll(brokerOptions());
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the Kafka broker (" + String.join(" ", command) + ")", e);
            }
            // stdin stays open and unused: the child exits when it closes, i.e. when this JVM dies.
            ChildOutput output = ChildOutput.drain(process.getInputStream(), outputSink, "kafka-broker-output-" + process.pid());
            try {
                String bootstrap = output.ready().get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
                return new EmbeddedKafkaProcess(process, output, bootstrap, shutdownGrace);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                throw failure(process, output, "did not report ready within " + startupTimeout.toSeconds() + " s");
            } catch (ExecutionException e) {
                IllegalStateException failure =
                        failure(process, output, "exited before it was ready (exit code " + exitCode(process) + ")");
                process.destroyForcibly();
                throw failure;
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka broker to start", e);
            }
        }

        private List<String> javaCommand(Path jar) {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable().toString());
            command.addAll(jvmOptions);
            command.add("-Djava.io.tmpdir=" + tempDir());
            command.add("-jar");
            command.add(jar.toString());
            return command;
        }

        private List<String> brokerOptions() {
            List<String> command = new ArrayList<>();
            command.add("--port");
            command.add(String.valueOf(port));
            command.add("--controller-port");
            command.add(String.valueOf(controllerPort));
            command.add("--partitions");
            command.add(String.valueOf(partitions));
            command.add("--exit-on-stdin-eof");
            if (!launcher.isEmpty()) {
                // A container's broker is its PID 1, with no parent of its own to watch: stdin is the tie.
                command.add("--no-parent-watch");
            }
            if (dataDir != null) {
                command.add("--data-dir");
                command.add(dataDir.toAbsolutePath().toString());
            }
            if (keepData) {
                command.add("--keep-data");
            }
            if (saslPlain != null) {
                command.add("--sasl-plain");
                command.add(saslPlain.user() + ":" + saslPlain.password());
            }
            return command;
        }

        private Path resolveBrokerJar() {
            Path jar = brokerJar;
            if (jar == null) {
                String property = System.getProperty(BROKER_JAR_PROPERTY);
                if (property == null || property.isBlank()) {
                    throw new IllegalStateException("no Kafka broker jar: set -D" + BROKER_JAR_PROPERTY
                            + "=<embedded-kafka/target/embedded-kafka-<version>-broker.jar> or pass brokerJar(...)");
                }
                jar = Path.of(property);
            }
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("Kafka broker jar " + jar.toAbsolutePath()
                        + " does not exist: build it with ./mvnw -pl embedded-kafka -am package");
            }
            return jar;
        }

        /** The child inherits this JVM's temp dir, so test brokers keep their data under target/. */
        private static Path tempDir() {
            Path dir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            try {
                return Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create temp dir " + dir + " for the Kafka broker", e);
            }
        }

        private static Path javaExecutable() {
            Path bin = Path.of(System.getProperty("java.home"), "bin");
            Path java = bin.resolve("java");
            return Files.isExecutable(java) ? java : bin.resolve("java.exe");
        }

        private static IllegalStateException failure(Process process, ChildOutput output, String what) {
            try {
                // Let the reader take in the last lines a dying child wrote.
                output.ended().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // report what we have
            }
            return new IllegalStateException("Kafka broker process (pid " + process.pid() + ") " + what
                    + "; its last output lines:" + System.lineSeparator() + output.tail());
        }

        private static String exitCode(Process process) {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }
    }
}
