package io.kdflow.cli.metrics;

import io.kdflow.cli.jsonl.JsonLine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A references file: lines {@code {"id", "references": [...]}} or {@code {"id", "target"}}. When a line
 * has both (as the bundled data files do), {@code references} wins: it holds every gold target.
 */
final class ReferencesFile {

    static final String REFERENCES = "references";
    static final String TARGET = "target";

    private ReferencesFile() {
    }

    /** The references of each id, in file order. */
    static Map<String, KeyedLine<List<String>>> read(Path file) {
        return KeyedLines.read(file, ReferencesFile::referencesOf);
    }

    private static List<String> referencesOf(JsonLine line) {
        if (line.has(REFERENCES)) {
            return line.nonEmptyStrings(REFERENCES);
        }
        if (line.has(TARGET)) {
            return List.of(line.string(TARGET));
        }
        throw line.missingField("\"" + REFERENCES + "\" (or \"" + TARGET + "\")");
    }
}
