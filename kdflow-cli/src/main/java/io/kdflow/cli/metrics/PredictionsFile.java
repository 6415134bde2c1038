package io.kdflow.cli.metrics;

import io.kdflow.cli.jsonl.JsonLine;
import java.nio.file.Path;
import java.util.Map;

/**
 * A predictions file: lines {@code {"id", "prediction"}}, or the output of {@code ./kdflow generate},
 * {@code {"id", "predictions": [...]}}, whose first prediction is scored.
 */
final class PredictionsFile {

    static final String PREDICTION = "prediction";
    static final String PREDICTIONS = "predictions";

    private PredictionsFile() {
    }

    /** The prediction of each id, in file order. */
    static Map<String, KeyedLine<String>> read(Path file) {
        return KeyedLines.read(file, PredictionsFile::predictionOf);
    }

    private static String predictionOf(JsonLine line) {
        if (line.has(PREDICTION)) {
            return line.string(PREDICTION);
        }
        if (line.has(PREDICTIONS)) {
            return line.nonEmptyStrings(PREDICTIONS).get(0);
        }
        throw line.missingField("\"" + PREDICTION + "\" (or \"" + PREDICTIONS + "\")");
    }
}
