package io.kdflow.teacher.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a JSON request body's fields, failing with 400 and the field's name for a missing or mistyped one. */
final class RequestFields {

    private final JsonNode body;

    RequestFields(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body: must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(name + ": unknown field (allowed: " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        }
        this.body = body;
    }

    Optional<String> text(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field + ": must be a string");
        }
        return Optional.of(node.asText());
    }

    String requiredText(String field) {
        return text(field).orElseThrow(() -> ApiException.badRequest(field + ": missing (a string)"));
    }

    /** A non-empty array of at most {@code max} strings. */
    List<String> texts(String field, int max, String maxKey) {
        JsonNode node = body.get(field);
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest(field + ": must be a non-empty array of strings");
        }
        if (node.size() > max) {
            throw ApiException.badRequest(field + ": " + node.size() + " entries, at most " + max + " allowed ("
                    + maxKey + ")");
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw ApiException.badRequest(field + "[" + i + "]: must be a string");
            }
            values.add(node.get(i).asText());
        }
        return values;
    }

    Optional<Integer> integer(String field, int min, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw ApiException.badRequest(field + ": " + node + " is not allowed (an integer from " + min + " to "
                    + max + ")");
        }
        return Optional.of(node.asInt());
    }

    Optional<Long> longValue(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.badRequest(field + ": " + node + " is not allowed (an integer)");
        }
        return Optional.of(node.asLong());
    }

    Optional<Double> number(String field, double minExclusive, double max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isNumber() || !(node.asDouble() > minExclusive) || node.asDouble() > max) {
            throw ApiException.badRequest(field + ": " + node + " is not allowed (a number above " + minExclusive
                    + ", at most " + max + ")");
        }
        return Optional.of(node.asDouble());
    }

    Optional<Boolean> bool(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw ApiException.badRequest(field + ": must be true or false");
        }
        return Optional.of(node.asBoolean());
    }
}
