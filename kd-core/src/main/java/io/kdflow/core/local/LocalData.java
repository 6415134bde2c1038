package io.kdflow.core.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.EvalDatasetReader;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.eval.ExampleTexts;
import io.kdflow.core.job.TaskSettings;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.train.TrainingExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task's splits as one job uses them: the first {@code *_size} examples of each file (0 = all).
 *
 * @param train gold pairs (the first reference is the target)
 * @param dev selection split (empty when the task has none)
 * @param test report split (empty when the task has none)
 * @param unlabeled inputs without targets, with their ids
 * @param files the data files read, for cache keys
 */
public record LocalData(List<EvalExample> train, List<EvalExample> dev, List<EvalExample> test, List<PtInput> unlabeled,
        List<Path> files) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public LocalData {
        train = List.copyOf(train);
        dev = List.copyOf(dev);
        test = List.copyOf(test);
        unlabeled = List.copyOf(unlabeled);
        files = List.copyOf(files);
    }

    /**
     * Reads the task's files.
     *
     * @throws BadInputException when a file is missing or a line is not an example
     */
    public static LocalData read(TaskSettings task) {
        List<Path> files = new ArrayList<>();
        Path train = existing("task.train", task.train(), files);
        List<EvalExample> dev = task.dev().map(f -> EvalDatasetReader.read(existing("task.dev", f, files),
                limit(task.maxDevExamples()))).orElse(List.of());
        List<EvalExample> test = task.test().map(f -> EvalDatasetReader.read(existing("task.test", f, files),
                limit(task.maxTestExamples()))).orElse(List.of());
        List<PtInput> unlabeled = task.unlabeled().map(f -> unlabeled(existing("task.unlabeled", f, files),
                limit(task.maxUnlabeledExamples()))).orElse(List.of());
        List<EvalExample> pairs = EvalDatasetReader.read(train, limit(task.maxTrainExamples()));
        if (pairs.isEmpty()) {
            throw new BadInputException("task.train: " + train + " holds no example (a training pair per line)");
        }
        return new LocalData(pairs, dev, test, unlabeled, files);
    }

    /** The gold training pairs as training examples (text only: the student's tokenizer encodes them). */
    public List<TrainingExample> goldPairs() {
        return train.stream().map(e -> TrainingExample.of(e.id(), e.source(), e.references().get(0))).toList();
    }

    /** The labeled inputs of the PTs. */
    public List<PtInput> labeledInputs() {
        return train.stream().map(e -> PtInput.labeled(e.id(), e.source(), e.references().get(0))).toList();
    }

    /** What the data is, for cache keys: the sha256 of each file and the sizes used. */
    Map<String, Object> identity() {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("files", RunKey.files(files));
        identity.put("sizes", List.of(train.size(), dev.size(), test.size(), unlabeled.size()));
        return identity;
    }

    private static int limit(int max) {
        return max == 0 ? Integer.MAX_VALUE : max;
    }

    private static Path existing(String key, String location, List<Path> files) {
        Path file = Path.of(location);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(key + ": " + location + " is not a file (a JSON Lines data file)");
        }
        files.add(file);
        return file;
    }

    /** The {@code source} of the first {@code limit} lines, with their {@code id} (else "unlabeled-<line>"). */
    private static List<PtInput> unlabeled(Path file, int limit) {
        List<PtInput> inputs = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null && inputs.size() < limit) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new BadInputException(file + " line " + number + ": not valid JSON ("
                            + e.getOriginalMessage() + ")");
                }
                JsonNode source = node.get("source");
                if (source == null || !source.isTextual()) {
                    throw new BadInputException(file + " line " + number + ", field \"source\": expected a string");
                }
                int lineNumber = number;
                ExampleTexts.problem(source.asText()).ifPresent(problem -> {
                    throw new BadInputException(file + " line " + lineNumber + ", field \"source\": " + problem);
                });
                JsonNode id = node.get("id");
                String exampleId = id != null && id.isValueNode() && !id.asText().isEmpty() ? "u-" + id.asText()
                        : "unlabeled-" + number;
                inputs.add(PtInput.unlabeled(exampleId, source.asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return inputs;
    }
}
