package io.kdflow.core.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.error.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an evaluation set: JSON Lines of {@code {"id": ..., "source": "...", "references": ["...", ...]}}
 * (the format of {@code data/shakespeare/dev.jsonl}; a line with only {@code "target"} uses it as the one
 * reference). Blank lines are skipped; other fields are ignored.
 */
public final class EvalDatasetReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalDatasetReader() {}

    /**
     * The first {@code limit} examples of {@code file}.
     *
     * @throws BadInputException naming the file, line and field of the first problem
     */
    public static List<EvalExample> read(Path file, int limit) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such evaluation file");
        }
        List<EvalExample> examples = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null && examples.size() < limit) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                EvalExample example = parse(line, file, number);
                if (!ids.add(example.id())) {
                    throw new BadInputException(where(file, number) + ", field \"id\": duplicate id \""
                            + example.id() + "\"");
                }
                examples.add(example);
            }
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the evaluation file (" + e + ")", e);
        }
        if (examples.isEmpty()) {
            throw new BadInputException(file + ": no examples");
        }
        return examples;
    }

    private static EvalExample parse(String line, Path file, int number) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadInputException(where(file, number) + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new BadInputException(where(file, number) + ": expected a JSON object");
        }
        JsonNode id = node.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
            throw new BadInputException(where(file, number)
                    + ", field \"id\": expected a non-empty string or an integer");
        }
        return new EvalExample(id.asText(), text(node, "source", file, number), references(node, file, number));
    }

    private static List<String> references(JsonNode node, Path file, int number) {
        JsonNode refs = node.get("references");
        if (refs == null) {
            return List.of(text(node, "target", file, number));
        }
        if (!refs.isArray() || refs.isEmpty()) {
            throw new BadInputException(where(file, number)
                    + ", field \"references\": expected a non-empty array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (!refs.get(i).isTextual()) {
                throw new BadInputException(where(file, number) + ", field \"references[" + i
                        + "]\": expected a string");
            }
            checked(refs.get(i).asText(), "references[" + i + "]", file, number);
            texts.add(refs.get(i).asText());
        }
        return texts;
    }

    private static String text(JsonNode node, String field, Path file, int number) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new BadInputException(where(file, number) + ", field \"" + field + "\": expected a string");
        }
        return checked(value.asText(), field, file, number);
    }

    private static String checked(String text, String field, Path file, int number) {
        ExampleTexts.problem(text).ifPresent(problem -> {
            throw new BadInputException(where(file, number) + ", field \"" + field + "\": " + problem);
        });
        return text;
    }

    private static String where(Path file, int number) {
        return file + " line " + number;
    }
}
