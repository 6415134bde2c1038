package io.kdflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.job.JobTree;
import io.kdflow.core.wire.proto.JobSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A job file read with {@code --set key.path=value} overrides: each value (YAML, so {@code 3}, {@code 5e-4},
 * {@code [0, -1]} and {@code logit_kd} keep their types) replaces or adds the key in the file's tree before the
 * strict schema reads it, so an override is checked exactly as the same key written in the file.
 */
final class JobFileOverrides {

    private static final YAMLMapper YAML = new YAMLMapper();

    private JobFileOverrides() {}

    /**
     * @throws UserError for a malformed override; kd-core's BadInputException for a bad file or key
     */
    static JobSpec read(Path file, List<String> overrides) {
        if (overrides.isEmpty()) {
            return JobFile.read(file);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such job file", e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the job file: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            return JobFile.read(file); // the file's own YAML error, with its line
        }
        if (!(root instanceof ObjectNode tree)) {
            return JobFile.read(file);
        }
        for (String override : overrides) {
            apply(tree, override);
        }
        String name = file.getFileName().toString().replaceFirst("\\.(yaml|yml)$", "");
        try {
            return JobFile.parse(file + " (with --set)", YAML.writeValueAsString(tree),
                    file.toAbsolutePath().getParent(), name);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a YAML tree back", e);
        }
    }

    private static void apply(ObjectNode root, String override) {
        int equals = override.indexOf('=');
        if (equals < 1) {
            throw new UserError("--set " + override + ": expected KEY.PATH=VALUE, e.g. optimization.epochs=3");
        }
        JsonNode value;
        try {
            value = YAML.readTree(override.substring(equals + 1));
        } catch (JsonProcessingException e) {
            throw new UserError("--set " + override + ": the value is not valid YAML: " + e.getOriginalMessage());
        }
        try {
            JobTree.set(root, override.substring(0, equals), value);
        } catch (IllegalArgumentException e) {
            throw new UserError("--set " + override + ": " + e.getMessage());
        }
    }
}
