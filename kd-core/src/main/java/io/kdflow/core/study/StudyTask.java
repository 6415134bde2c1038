package io.kdflow.core.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A study's task file: a job file that says the task (data, token limits, teacher, seed, evaluation) plus an
 * optional {@code study} section the job schema does not know:
 * <ul>
 *   <li>{@code encoder_decoder_config}, {@code decoder_only_config}: the two S1 students' {@code config.json}
 *       (new models with the teacher's tokenizer; S1 is not run without both);</li>
 *   <li>{@code decoder_only_prompt}: the decoder-only student's prompt template ({@code task.prompt});</li>
 *   <li>{@code trivial_baseline}: what the copy baseline row is called in the report.</li>
 * </ul>
 * The job part is read by the job schema (so a bad key fails here, with the file's name), then every study
 * job is derived from its tree.
 *
 * @param name the task's name ({@code task.name}, else the file name): {@code studies/<name>/}
 * @param file the task file
 * @param job the job part's YAML tree (without {@code study})
 */
public record StudyTask(String name, Path file, ObjectNode job, Optional<String> encoderDecoderConfig,
        Optional<String> decoderOnlyConfig, Optional<String> decoderOnlyPrompt, String trivialBaseline) {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> STUDY_KEYS = Set.of("encoder_decoder_config", "decoder_only_config",
            "decoder_only_prompt", "trivial_baseline");

    /** The folder relative paths of the task file resolve against. */
    public Path folder() {
        return file.toAbsolutePath().getParent();
    }

    /** @throws BadInputException for a missing file, broken YAML, a bad job key or a bad {@code study} key */
    public static StudyTask read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such task file", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the task file: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JobFile.read(file); // the job reader's message, with line and column
            throw new BadInputException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof ObjectNode tree)) {
            throw new BadInputException(file + ": a task file is a mapping of job-file sections and 'study'");
        }
        JsonNode study = tree.remove("study");
        String defaultName = file.getFileName().toString().replaceFirst("\\.(yaml|yml)$", "");
        JobFile.parse(file + " (the task's job part)", tree.toString(), file.toAbsolutePath().getParent(),
                defaultName);
        String name = tree.path("task").path("name").asText(tree.path("name").asText(defaultName));
        if (study != null && !study.isNull() && !study.isObject()) {
            throw new BadInputException(file + ": study: expected a mapping (keys " + STUDY_KEYS + ")");
        }
        if (study != null && study.isObject()) {
            for (Iterator<String> keys = study.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!STUDY_KEYS.contains(key)) {
                    throw new BadInputException(file + ": study." + key + ": unknown key (allowed in study: "
                            + String.join(", ", STUDY_KEYS.stream().sorted().toList()) + ")");
                }
            }
        }
        return new StudyTask(name, file, tree, text(study, "encoder_decoder_config"),
                text(study, "decoder_only_config"), text(study, "decoder_only_prompt"),
                text(study, "trivial_baseline").orElse("copy the source"));
    }

    private static Optional<String> text(JsonNode study, String key) {
        if (study == null || !study.hasNonNull(key)) {
            return Optional.empty();
        }
        return Optional.of(study.get(key).asText());
    }
}
