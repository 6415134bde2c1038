package io.kdflow.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The broker's storage directory: a fresh temporary one, an empty one to format, or a kept one to reuse.
 * It refuses a non-empty directory that holds no Kafka storage, so that deleting it on stop can never
 * remove someone else's files.
 */
public final class DataDirectory {

    /** Written by the KRaft formatter; its presence marks a directory as Kafka storage. */
    static final String META_PROPERTIES = "meta.properties";

    private final Path path;
    private final boolean formatted;

    private DataDirectory(Path path, boolean formatted) {
        this.path = path;
        this.formatted = formatted;
    }

    /**
     * Creates a temporary directory when {@code requested} is empty, else checks the requested one.
     *
     * @throws IllegalArgumentException when the directory is a file, or not empty and not Kafka storage
     */
    public static DataDirectory prepare(Optional<Path> requested) {
        try {
            if (requested.isEmpty()) {
                return new DataDirectory(Files.createTempDirectory("kdflow-kafka-"), false);
            }
            Path path = requested.get().toAbsolutePath();
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new IllegalArgumentException("--data-dir " + path + " is a file, not a directory");
            }
            Files.createDirectories(path);
            if (Files.isRegularFile(path.resolve(META_PROPERTIES))) {
                return new DataDirectory(path, true);
            }
            if (!isEmpty(path)) {
                throw new IllegalArgumentException("--data-dir " + path
                        + " is not empty and holds no Kafka storage (no " + META_PROPERTIES + "); refusing to use it");
            }
            return new DataDirectory(path, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + requested.orElse(null), e);
        }
    }

    public Path path() {
        return path;
    }

    /** True when the directory already held Kafka storage (a kept directory from an earlier run). */
    public boolean isFormatted() {
        return formatted;
    }

    /** Deletes the directory and everything in it; a missing directory is fine. */
    public void delete() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete Kafka data directory " + path, e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
