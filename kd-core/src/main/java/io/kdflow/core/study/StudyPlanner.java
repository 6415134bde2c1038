package io.kdflow.core.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.job.JobTree;
import io.kdflow.core.study.StageOption.Override;
import io.kdflow.core.wire.proto.JobSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives a stage option's job: the task file's job part, then the profile's keys, then the keys the earlier
 * stages' chosen options carry (in stage order), then the option's own; a later key replaces an earlier one at
 * the same path. Every run has the task's name and output folder, so two options that set the same keys are the
 * same job with the same hash (S4's "No PTs" is S3's choice, S5's "PTs for Labeled" S4's, and so on).
 */
public final class StudyPlanner {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private final StudyTask task;
    private final StudyProfile profile;

    public StudyPlanner(StudyTask task, StudyProfile profile) {
        this.task = task;
        this.profile = profile;
    }

    /**
     * The job of {@code option} of {@code stage} after the carried keys {@code carried}.
     *
     * @throws BadInputException when the derived job does not read (named with the stage and option)
     */
    public PlannedRun plan(Stage stage, StageOption option, List<Override> carried) {
        ObjectNode tree = task.job().deepCopy();
        List<Override> keys = new ArrayList<>(profile.base());
        keys.addAll(carried);
        keys.addAll(option.keys());
        for (Override key : keys) {
            JobTree.set(tree, key.path(), value(key, stage, option));
        }
        tree.put("name", task.name());
        tree.put("output", "runs");
        String yaml;
        try {
            yaml = YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a YAML tree", e);
        }
        String label = task.file() + " (" + stage + "/" + option.id() + ", profile " + profile.name() + ")";
        JobSpec spec = JobFile.parse(label, yaml, task.folder(), task.name());
        return new PlannedRun(stage, option, spec, yaml, JobFile.hash(spec));
    }

    private static JsonNode value(Override key, Stage stage, StageOption option) {
        try {
            return YAML.readTree(key.yaml());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(stage + "/" + option.id() + ": " + key + " is not valid YAML", e);
        }
    }
}
