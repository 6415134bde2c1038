package io.kdflow.cli.model;

import io.kdflow.cli.jsonl.JsonLine;
import io.kdflow.cli.jsonl.JsonLinesFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code id}, {@code source} and (for scoring) {@code target} fields of a JSON Lines input. */
public record SourceLines(List<Example> examples) {

    /** One input line. {@code target} is null when not read. */
    public record Example(String id, String source, String target) {}

    /** Reads every line, checking its fields first, so bad input fails before any model work. */
    public static SourceLines read(Path file, boolean withTarget) {
        List<Example> examples = new ArrayList<>();
        for (JsonLine line : JsonLinesFile.read(file)) {
            String id = line.id();
            String source = text(line, "source");
            examples.add(new Example(id, source, withTarget ? text(line, "target") : null));
        }
        return new SourceLines(List.copyOf(examples));
    }

    private static String text(JsonLine line, String field) {
        if (!line.has(field)) {
            throw line.missingField("\"" + field + "\"");
        }
        return line.string(field);
    }

    public int size() {
        return examples.size();
    }
}
