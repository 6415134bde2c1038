package io.kdflow.core.teacher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.EvalDatasetReader;
import io.kdflow.core.eval.EvalExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text a teacher is made from.
 *
 * @param train gold pairs (the first reference is the target)
 * @param dev the dev split, for selection and the input-sensitivity check
 * @param unlabeled inputs without targets, used by denoising pre-training
 */
public record TeacherData(List<EvalExample> train, List<EvalExample> dev, List<String> unlabeled) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TeacherData {
        train = List.copyOf(train);
        dev = List.copyOf(dev);
        unlabeled = List.copyOf(unlabeled);
        if (train.isEmpty() || dev.isEmpty()) {
            throw new IllegalArgumentException("a teacher needs training pairs and dev examples");
        }
    }

    /** Reads JSON Lines splits ({@code id}, {@code source}, {@code target} or {@code references}). */
    public static TeacherData read(Path train, Path dev, Optional<Path> unlabeled) {
        return new TeacherData(EvalDatasetReader.read(train, Integer.MAX_VALUE),
                EvalDatasetReader.read(dev, Integer.MAX_VALUE), unlabeled.map(TeacherData::sources).orElse(List.of()));
    }

    /** The {@code source} of every line of a JSON Lines file. */
    static List<String> sources(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such unlabeled file");
        }
        List<String> texts = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode source;
                try {
                    source = JSON.readTree(line).get("source");
                } catch (JsonProcessingException e) {
                    throw new BadInputException(file + " line " + number + ": not valid JSON ("
                            + e.getOriginalMessage() + ")");
                }
                if (source == null || !source.isTextual()) {
                    throw new BadInputException(file + " line " + number + ", field \"source\": expected a string");
                }
                texts.add(source.asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return texts;
    }

    /** Training sources. */
    public List<String> trainSources() {
        return train.stream().map(EvalExample::source).toList();
    }

    /** Training targets (first reference). */
    public List<String> trainTargets() {
        return train.stream().map(example -> example.references().get(0)).toList();
    }

    /** The first {@code count} dev examples. */
    public List<EvalExample> devSubset(int count) {
        return dev.subList(0, Math.min(count, dev.size()));
    }
}
