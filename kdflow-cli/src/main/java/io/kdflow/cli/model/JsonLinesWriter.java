package io.kdflow.cli.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.cli.UserError;
import io.kdflow.core.error.BadInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes one JSON object per line, UTF-8, flushed after each batch so partial results survive a stop. */
public final class JsonLinesWriter implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final BufferedWriter writer;

    private JsonLinesWriter(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /** Creates (or truncates) {@code file}, creating its directory. */
    public static JsonLinesWriter create(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new JsonLinesWriter(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError(file + ": cannot write: " + e.getMessage());
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public void write(ObjectNode line) {
        try {
            writer.write(MAPPER.writeValueAsString(line));
            writer.write('\n');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an output line", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    public void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
