package io.kdflow.cli.pipeline;

import io.kdflow.cli.UserError;
import io.kdflow.kafka.EmbeddedKafkaProcess;
import io.kdflow.kafka.broker.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@code ./kdflow run} starts without {@code --bootstrap}: the embedded broker and the four services, each a
 * child process with its log in {@code <run>/logs/}; with {@code --containers} each child is the {@code docker run}
 * of its image ({@link ContainerImages}). {@link #close()} stops all of them (services first, then the
 * broker), and so does a shutdown hook when the JVM exits first (Ctrl-C).
 */
final class LocalCluster implements AutoCloseable {

    private Optional<EmbeddedKafkaProcess> broker;
    /** How the broker was started, to start it again the same way (same ports, same data directory). */
    private final Optional<EmbeddedKafkaProcess.Builder> brokerLauncher;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Path logDir;
    /** Set when the broker and the services run as containers. */
    private final Optional<ContainerImages> containers;
    private final Thread stopOnExit = new Thread(this::stopAll, "kdflow-run-stop");
    private boolean closed;

    private LocalCluster(Optional<EmbeddedKafkaProcess> broker, Optional<EmbeddedKafkaProcess.Builder> brokerLauncher,
            Path logDir, Optional<ContainerImages> containers) {
        this.broker = broker;
        this.brokerLauncher = brokerLauncher;
        this.logDir = logDir;
        this.containers = containers;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** An empty cluster whose processes are {@link #add added} by the caller (tests). */
    static LocalCluster of(Path logDir) {
        return new LocalCluster(Optional.empty(), Optional.empty(), logDir, Optional.empty());
    }

    /** Starts the broker of {@code <home>/embedded-kafka/target/*-broker.jar} with its data in {@code <run>/kafka}. */
    static LocalCluster startBroker(Path home, Path runDir) {
        return startBroker(home, runDir, Optional.empty());
    }

    /**
     * Starts the broker with its data in {@code <run>/kafka}: the broker jar as a process, or its image when
     * {@code containers} is given.
     */
    static LocalCluster startBroker(Path home, Path runDir, Optional<ContainerImages> containers) {
        Path jar = brokerJar(home);
        Path logDir = runDir.resolve("logs");
        Path log = logDir.resolve("kafka.log");
        createDirectories(logDir);
        // Both ports fixed up front: a broker killed and started again (./kdflow chaos) comes back where its clients
        // and its own KRaft quorum look for it.
        int[] ports = FreePort.resolveAll(0, 0);
        EmbeddedKafkaProcess.Builder launcher = EmbeddedKafkaProcess.builder().brokerJar(jar)
                .port(ports[0]).controllerPort(ports[1]).dataDir(runDir.resolve("kafka"))
                .outputSink(appender(log));
        containers.ifPresent(images -> launcher.launcher(images.brokerLauncher()));
        return new LocalCluster(Optional.of(launcher.start()), Optional.of(launcher), logDir, containers);
    }

    /** {@code <home>/embedded-kafka/target/embedded-kafka-<version>-broker.jar}. */
    static Path brokerJar(Path home) {
        Path target = home.resolve("embedded-kafka/target");
        try (var files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-broker.jar")).findFirst()
                    .orElseThrow(() -> new UserError("no embedded-kafka broker jar in " + target
                            + ": build with ./mvnw -B -DskipTests package"));
        } catch (IOException e) {
            throw new UserError("no embedded-kafka build in " + home + ": build with ./mvnw -B -DskipTests package");
        }
    }

    /** The version of the build in {@code home}, from its broker jar's name; the images' tag. */
    static String version(Path home) {
        String name = brokerJar(home).getFileName().toString();
        return name.substring("embedded-kafka-".length(), name.length() - "-broker.jar".length());
    }

    /** Kills the broker with SIGKILL (its data stays on disk, nothing is flushed or closed on the way out). */
    synchronized void killBroker() throws InterruptedException {
        EmbeddedKafkaProcess process = broker.orElseThrow(() -> new IllegalStateException("no broker started"));
        process.processHandle().destroyForcibly();
        process.processHandle().onExit().join();
        broker = Optional.empty();
    }

    /**
     * Starts the broker again on its ports and data directory, after {@link #killBroker()}; returns once it accepts
     * clients. A port the dead broker held may take a moment to be free again: a few tries.
     */
    synchronized void restartBroker() throws InterruptedException {
        if (broker.isPresent()) {
            throw new IllegalStateException("the broker is running: kill it first");
        }
        EmbeddedKafkaProcess.Builder launcher = brokerLauncher
                .orElseThrow(() -> new IllegalStateException("no broker started"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                broker = Optional.of(launcher.start());
                return;
            } catch (IllegalStateException e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        throw last;
    }

    /** The running service of that module (e.g. {@code pt-sampler}). */
    synchronized ServiceProcess service(String module) {
        return services.stream().filter(s -> s.name().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + module + " in this cluster"));
    }

    /** Kills the service with SIGKILL; returns the dead process, for {@link #restartService}. */
    ServiceProcess killService(String module) throws InterruptedException {
        ServiceProcess old = service(module);
        old.kill();
        return old;
    }

    /** Starts a killed service again (same command line, log appended) in its place. */
    synchronized ServiceProcess restartService(ServiceProcess killed) {
        ServiceProcess started = killed.restart();
        services.set(services.indexOf(killed), started);
        return started;
    }

    synchronized String bootstrapServers() {
        return broker.orElseThrow(() -> new IllegalStateException("no broker started")).bootstrapServers();
    }

    Path logDir() {
        return logDir;
    }

    /** Starts the four services with {@code config} and waits until each is ready. */
    void startServices(Path home, ServiceConfig config, Consumer<String> say) throws InterruptedException {
        // All ports picked together: a service that has not bound its port yet must not see it handed out again.
        int[] ports = FreePort.resolveAll(new int[ServiceConfig.SERVICES.size()]);
        for (int i = 0; i < ports.length; i++) {
            String service = ServiceConfig.SERVICES.get(i);
            if (containers.isPresent()) {
                add(ServiceProcess.start(service, containers.get().serviceCommand(service, ports[i],
                        config.properties(service)), home, ports[i], logDir.resolve(service + ".log")));
            } else {
                add(ServiceProcess.start(home, service, ports[i], config.properties(service), logDir));
            }
        }
        for (ServiceProcess service : List.copyOf(services)) {
            service.awaitReady();
            say.accept(service.name() + " ready (log: " + service.log() + ")");
            if (service.name().equals("evaluator")) {
                say.accept("run page: http://127.0.0.1:" + service.httpPort() + "/");
            }
        }
    }

    synchronized void add(ServiceProcess service) {
        services.add(service);
    }

    /** The first service that can no longer do its part (exited, or DOWN), with the end of its log. */
    Optional<String> failedService() {
        for (ServiceProcess service : services()) {
            Optional<String> failure = service.failure();
            if (failure.isPresent()) {
                return Optional.of(failure.get() + "; its log " + service.log() + " ends with:\n" + service.tail());
            }
        }
        return Optional.empty();
    }

    synchronized List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs stopAll anyway
        }
        stopAll();
    }

    private synchronized void stopAll() {
        if (closed) {
            return;
        }
        closed = true;
        services.forEach(ServiceProcess::requestStop); // they shut down in parallel; close() waits for each
        services.forEach(ServiceProcess::close);
        broker.ifPresent(EmbeddedKafkaProcess::close);
        if (containers.isPresent()) {
            List<String> modules = new ArrayList<>(ServiceConfig.SERVICES);
            modules.add(ContainerImages.BROKER_MODULE);
            ContainerImages.removeLeftovers(modules);
        }
    }

    private static Consumer<String> appender(Path file) {
        return line -> {
            try {
                Files.writeString(file, line + System.lineSeparator(), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        };
    }

    static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create " + dir + ": " + e.getMessage());
        }
    }
}
