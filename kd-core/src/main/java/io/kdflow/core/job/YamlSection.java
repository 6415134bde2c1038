package io.kdflow.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdflow.core.error.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One mapping of a job file, read key by key with its type and range checked. Every key read is remembered, so
 * {@link #finish()} can reject the keys the schema does not know. Messages have the form
 * {@code <file>: <key.path>: <value> <what is wrong> (<what is allowed>)}.
 */
final class YamlSection {

    /** A number written as YAML may leave it a string, e.g. 5e-4. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final String file;
    private final String path;
    private final JsonNode node;
    private final Set<String> known = new LinkedHashSet<>();

    private YamlSection(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** The document's root mapping. */
    static YamlSection root(String file, JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new BadInputException(file + ": the file is empty (a job needs at least task.train)");
        }
        if (!node.isObject()) {
            throw new BadInputException(file + ": the document is " + shown(node)
                    + ", not a mapping (a job file maps keys such as task, teacher, student to their settings)");
        }
        return new YamlSection(file, "", node);
    }

    String file() {
        return file;
    }

    /** The dotted path of {@code key} in this section. */
    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        known.add(key);
        return node.has(key);
    }

    Optional<YamlSection> section(String key) {
        return value(key).map(v -> {
            if (!v.isObject()) {
                throw rejected(key, v, "is not a mapping", "keys and values, one per line below " + key + ":");
            }
            return new YamlSection(file, key(key), v);
        });
    }

    Optional<String> string(String key) {
        return value(key).map(v -> {
            if (!v.isTextual()) {
                throw rejected(key, v, "is not a string", "text");
            }
            return v.textValue();
        });
    }

    /** A string matching {@code pattern} (described by {@code allowed}). */
    Optional<String> string(String key, Pattern pattern, String allowed) {
        return string(key).map(s -> {
            if (!pattern.matcher(s).matches()) {
                throw rejected(key, node.get(key), "is not allowed", allowed);
            }
            return s;
        });
    }

    Optional<Long> integer(String key, long min, long max) {
        return value(key).map(v -> integer(key, v, min, max));
    }

    Optional<Integer> integer(String key, int min, int max) {
        return integer(key, (long) min, (long) max).map(Long::intValue);
    }

    /** A finite number in [min, max], or (min, max] when {@code minExclusive}, or [min, max) when {@code maxExclusive}. */
    Optional<Double> real(String key, double min, boolean minExclusive, double max, boolean maxExclusive) {
        return value(key).map(v -> {
            String range = (minExclusive ? "a number > " : "a number >= ") + plain(min)
                    + (maxExclusive ? " and < " : " and <= ") + plain(max);
            double x;
            if (v.isNumber()) {
                x = v.doubleValue();
            } else if (v.isTextual() && NUMBER.matcher(v.textValue().trim()).matches()) {
                x = Double.parseDouble(v.textValue().trim());
            } else {
                throw rejected(key, v, "is not a number", range);
            }
            boolean aboveMin = minExclusive ? x > min : x >= min;
            boolean belowMax = maxExclusive ? x < max : x <= max;
            if (!Double.isFinite(x) || !aboveMin || !belowMax) {
                throw rejected(key, v, "is out of range", range);
            }
            return x;
        });
    }

    Optional<Boolean> bool(String key) {
        return value(key).map(v -> {
            if (!v.isBoolean()) {
                throw rejected(key, v, "is not a boolean", "true or false");
            }
            return v.booleanValue();
        });
    }

    /** One of the names of {@code choices} (in the order listed in the message). */
    <E> Optional<E> choice(String key, Map<String, E> choices) {
        return value(key).map(v -> {
            // YAML 1.1 readers take a bare "off" for false; accept it where "off" is a choice.
            String name = v.isBoolean() && !v.booleanValue() && choices.containsKey("off") ? "off"
                    : v.isTextual() ? v.textValue() : null;
            E choice = name == null ? null : choices.get(name);
            if (choice == null) {
                throw rejected(key, v, "is not allowed", "one of " + String.join(", ", choices.keySet()));
            }
            return choice;
        });
    }

    /** A list of integers, each in [min, max]. */
    Optional<List<Integer>> integers(String key, int min, int max) {
        return value(key).map(v -> {
            if (!v.isArray()) {
                throw rejected(key, v, "is not a list", "a list of integers from " + min + " to " + max
                        + ", e.g. [0, -1]");
            }
            List<Integer> values = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                values.add((int) integer(key + "[" + i + "]", v.get(i), min, max));
            }
            return values;
        });
    }

    /** A file or folder location, made absolute against {@code base} (the job file's folder). */
    Optional<String> location(String key, Path base) {
        return string(key).map(s -> {
            if (s.isBlank()) {
                throw rejected(key, node.get(key), "is empty", "a path, relative to the job file's folder");
            }
            return base.resolve(s).toAbsolutePath().normalize().toString();
        });
    }

    /** A {@link #location} that must name an existing regular file. */
    Optional<String> file(String key, Path base) {
        return location(key, base).map(location -> {
            if (!Files.isRegularFile(Path.of(location))) {
                throw rejected(key, "names no file (resolved to " + location + ")",
                        "an existing file, relative to the job file's folder");
            }
            return location;
        });
    }

    /** Rejects the first key (in the file's order) that this section's schema did not read. */
    void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new BadInputException(file + ": " + key(name) + ": unknown key (allowed "
                        + (path.isEmpty() ? "at the top level" : "in " + path) + ": " + String.join(", ", known) + ")");
            }
        }
    }

    BadInputException rejected(String key, JsonNode value, String problem, String allowed) {
        return new BadInputException(file + ": " + key(key) + ": " + shown(value) + " " + problem + " (" + allowed
                + ")");
    }

    BadInputException rejected(String key, String problem, String allowed) {
        return rejected(key, node.get(key), problem, allowed);
    }

    private Optional<JsonNode> value(String key) {
        known.add(key);
        return Optional.ofNullable(node.get(key));
    }

    private long integer(String key, JsonNode v, long min, long max) {
        String range = "an integer from " + min + " to " + max;
        if (!v.isIntegralNumber()) {
            throw rejected(key, v, "is not an integer", range);
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw rejected(key, v, "is out of range", range);
        }
        return v.longValue();
    }

    private static String shown(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isNull()) {
            return "an empty value";
        }
        return v.isTextual() ? "'" + v.textValue() + "'" : v.asText();
    }

    private static String plain(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
