package io.kdflow.cli.jsonl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.cli.UserError;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a UTF-8 JSON Lines file: one JSON object per line. Blank lines are skipped but still counted, so
 * line numbers in messages match what an editor shows.
 */
public final class JsonLinesFile {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonLinesFile() {
    }

    /**
     * The objects of {@code file} in line order.
     *
     * @throws UserError when the file is missing, unreadable, not UTF-8, empty, or a line is not one JSON object
     */
    public static List<JsonLine> read(Path file) {
        List<JsonLine> lines = new ArrayList<>();
        int number = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream lineBytes = new ByteArrayOutputStream();
            boolean more = true;
            while (more) {
                int b = in.read();
                more = b != -1;
                if (more && b != '\n') {
                    lineBytes.write(b);
                    continue;
                }
                if (!more && lineBytes.size() == 0) {
                    break; // the file ended with a newline
                }
                number++;
                String text = decodeLine(file, number, lineBytes.toByteArray());
                lineBytes.reset();
                if (!text.isBlank()) {
                    lines.add(new JsonLine(file, number, parseObject(file, number, text)));
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new UserError(file + ": empty file, expected one JSON object per line");
        }
        return lines;
    }

    /** Decodes one line strictly, so that a bad byte is reported on its own line, not on a buffered one. */
    private static String decodeLine(Path file, int number, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UserError(file + " line " + number + ": not valid UTF-8");
        }
        if (number == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark some editors write
        }
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static ObjectNode parseObject(Path file, int number, String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // The original message leaves out Jackson's multi-line source excerpt.
            String reason = e.getOriginalMessage().replaceAll("\\s+", " ").strip();
            throw new UserError(file + " line " + number + ": not valid JSON (" + reason + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new UserError(file + " line " + number + ": expected a JSON object, got " + JsonLine.describe(node));
        }
        return object;
    }
}
