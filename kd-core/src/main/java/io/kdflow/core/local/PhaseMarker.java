package io.kdflow.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code <dir>/done.json}: written last by a finished phase with the key of what made its output and what
 * the phase found; a rerun with the same key reads it instead of running the phase again. A marker with
 * another key (the job changed) or none (the phase was interrupted) means the phase runs.
 */
final class PhaseMarker {

    static final String FILE = "done.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final String key;

    PhaseMarker(Path dir, String key) {
        this.file = dir.resolve(FILE);
        this.key = key;
    }

    /** The phase's recorded outcome when it finished under this key. */
    Optional<JsonNode> done() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            return root != null && key.equals(root.path("key").asText()) ? Optional.of(root.path("outcome"))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // a torn marker: the phase runs again
        }
    }

    /** Records the phase as finished with {@code outcome} (atomically: a reader never sees half a marker). */
    void markDone(Object outcome) {
        ObjectNode root = JSON.createObjectNode();
        root.put("key", key);
        root.set("outcome", JSON.valueToTree(outcome));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE + ".tmp");
            JSON.writeValue(temporary.toFile(), root);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the phase marker " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the marker (the phase's output is about to be rewritten). */
    void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    static <T> T read(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new IllegalStateException("a phase marker does not hold a " + type.getSimpleName() + ": " + node, e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
