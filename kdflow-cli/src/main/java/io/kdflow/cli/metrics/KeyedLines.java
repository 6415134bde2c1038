package io.kdflow.cli.metrics;

import io.kdflow.cli.jsonl.JsonLine;
import io.kdflow.cli.jsonl.JsonLinesFile;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Reads a JSON Lines file into values keyed by their unique {@code id}, in file order. */
final class KeyedLines {

    private KeyedLines() {
    }

    /**
     * Reads {@code file} and extracts one value per line.
     *
     * @throws io.kdflow.cli.UserError on a bad line, a bad field or a duplicate id
     */
    static <T> Map<String, KeyedLine<T>> read(Path file, Function<JsonLine, T> valueOfLine) {
        Map<String, KeyedLine<T>> byId = new LinkedHashMap<>();
        for (JsonLine line : JsonLinesFile.read(file)) {
            String id = line.id();
            KeyedLine<T> first = byId.get(id);
            if (first != null) {
                throw line.fieldError("id", "duplicate id \"" + id + "\" (first on line " + first.line().number() + ")");
            }
            byId.put(id, new KeyedLine<>(id, line, valueOfLine.apply(line)));
        }
        return Collections.unmodifiableMap(byId);
    }
}
