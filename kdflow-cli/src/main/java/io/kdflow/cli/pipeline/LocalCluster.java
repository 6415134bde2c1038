package io.kdflow.cli.pipeline;

import io.kdflow.cli.UserError;
import io.kdflow.kafka.EmbeddedKafkaProcess;
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
 * child process with its log in {@code <run>/logs/}. {@link #close()} stops all of them (services first, then the
 * broker), and so does a shutdown hook when the JVM exits first (Ctrl-C).
 */
final class LocalCluster implements AutoCloseable {

    private final Optional<EmbeddedKafkaProcess> broker;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Path logDir;
    private final Thread stopOnExit = new Thread(this::stopAll, "kdflow-run-stop");
    private boolean closed;

    private LocalCluster(Optional<EmbeddedKafkaProcess> broker, Path logDir) {
        this.broker = broker;
        this.logDir = logDir;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** An empty cluster whose processes are {@link #add added} by the caller (tests). */
    static LocalCluster of(Path logDir) {
        return new LocalCluster(Optional.empty(), logDir);
    }

    /** Starts the broker of {@code <home>/embedded-kafka/target/*-broker.jar} with its data in {@code <run>/kafka}. */
    static LocalCluster startBroker(Path home, Path runDir) {
        Path jar;
        Path target = home.resolve("embedded-kafka/target");
        try (var files = Files.list(target)) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-broker.jar")).findFirst()
                    .orElseThrow(() -> new UserError("no embedded-kafka broker jar in " + target
                            + ": build with ./mvnw -B -DskipTests package"));
        } catch (IOException e) {
            throw new UserError("no embedded-kafka build in " + home + ": build with ./mvnw -B -DskipTests package");
        }
        Path logDir = runDir.resolve("logs");
        Path log = logDir.resolve("kafka.log");
        createDirectories(logDir);
        EmbeddedKafkaProcess process = EmbeddedKafkaProcess.builder().brokerJar(jar).dataDir(runDir.resolve("kafka"))
                .outputSink(appender(log)).start();
        return new LocalCluster(Optional.of(process), logDir);
    }

    String bootstrapServers() {
        return broker.orElseThrow(() -> new IllegalStateException("no broker started")).bootstrapServers();
    }

    Path logDir() {
        return logDir;
    }

    /** Starts the four services with {@code config} and waits until each is ready. */
    void startServices(Path home, ServiceConfig config, Consumer<String> say) throws InterruptedException {
        for (String service : ServiceConfig.SERVICES) {
            add(ServiceProcess.start(home, service, config.properties(service), logDir));
        }
        for (ServiceProcess service : List.copyOf(services)) {
            service.awaitReady();
            say.accept(service.name() + " ready (log: " + service.log() + ")");
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
