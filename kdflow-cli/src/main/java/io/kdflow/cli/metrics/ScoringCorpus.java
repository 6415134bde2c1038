package io.kdflow.cli.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Predictions and their references paired by id (never by line order), in the order of the predictions
 * file: the shape {@link io.kdflow.core.metrics.TaskMetrics#score} takes.
 */
public record ScoringCorpus(List<String> predictions, List<List<String>> references) {

    public ScoringCorpus {
        predictions = List.copyOf(predictions);
        references = List.copyOf(references);
    }

    /**
     * Reads both files and pairs their lines by id.
     *
     * @throws io.kdflow.cli.UserError naming the file, line and field of the first problem: a bad line, a
     *     duplicate id, or an id found in only one of the files
     */
    public static ScoringCorpus read(Path predictionsFile, Path referencesFile) {
        Map<String, KeyedLine<String>> predictions = PredictionsFile.read(predictionsFile);
        Map<String, KeyedLine<List<String>>> references = ReferencesFile.read(referencesFile);
        List<String> pairedPredictions = new ArrayList<>(predictions.size());
        List<List<String>> pairedReferences = new ArrayList<>(predictions.size());
        for (KeyedLine<String> prediction : predictions.values()) {
            KeyedLine<List<String>> reference = references.get(prediction.id());
            if (reference == null) {
                throw prediction.line().fieldError("id",
                        "id \"" + prediction.id() + "\" has no reference in " + referencesFile);
            }
            pairedPredictions.add(prediction.value());
            pairedReferences.add(reference.value());
        }
        for (KeyedLine<List<String>> reference : references.values()) {
            if (!predictions.containsKey(reference.id())) {
                throw reference.line().fieldError("id",
                        "id \"" + reference.id() + "\" has no prediction in " + predictionsFile);
            }
        }
        return new ScoringCorpus(pairedPredictions, pairedReferences);
    }
}
