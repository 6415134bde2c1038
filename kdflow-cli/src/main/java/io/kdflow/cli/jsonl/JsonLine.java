package io.kdflow.cli.jsonl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.cli.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON object of a JSON Lines file, with the file and 1-based line number it came from, so that every
 * complaint about a field can say where it is.
 */
public record JsonLine(Path file, int number, ObjectNode object) {

    /** The {@code id} field: a non-empty string, or an integer written as its decimal text. */
    public String id() {
        JsonNode id = object.get("id");
        if (id == null) {
            throw missingField("\"id\"");
        }
        if (id.isIntegralNumber()) {
            return id.asText();
        }
        if (!id.isTextual()) {
            throw fieldError("id", "expected a string or an integer, got " + describe(id));
        }
        if (id.textValue().isEmpty()) {
            throw fieldError("id", "expected a non-empty id, got an empty string");
        }
        return id.textValue();
    }

    public boolean has(String field) {
        return object.has(field);
    }

    /** A field that must hold a string. */
    public String string(String field) {
        JsonNode value = object.get(field);
        if (value == null) {
            throw missingField(field);
        }
        if (!value.isTextual()) {
            throw fieldError(field, "expected a string, got " + describe(value));
        }
        return value.textValue();
    }

    /** A field that must hold a non-empty array of strings. */
    public List<String> nonEmptyStrings(String field) {
        JsonNode value = object.get(field);
        if (value == null) {
            throw missingField(field);
        }
        if (!value.isArray() || value.isEmpty()) {
            throw fieldError(field, "expected a non-empty array of strings, got " + describe(value));
        }
        List<String> strings = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isTextual()) {
                throw fieldError(field + "[" + i + "]", "expected a string, got " + describe(element));
            }
            strings.add(element.textValue());
        }
        return List.copyOf(strings);
    }

    public UserError fieldError(String field, String problem) {
        return new UserError(where() + ", field \"" + field + "\": " + problem);
    }

    public UserError missingField(String alternatives) {
        return new UserError(where() + ": missing field " + alternatives);
    }

    /** {@code FILE line N}, the prefix of every message about this line. */
    public String where() {
        return file + " line " + number;
    }

    /** A JSON value's kind with its article, as it reads in an error message. */
    public static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case ARRAY -> node.isEmpty() ? "an empty array" : "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
