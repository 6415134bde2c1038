package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.error.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kdflow study}'s refusals: each names what is wrong, before any run starts. */
class StudyCommandTest {

    private static final String TASK = "../studies/tasks/shakespeare.yaml";

    @TempDir
    Path temp;

    @Test
    void shouldNameAMissingTaskFile() {
        Path missing = temp.resolve("nope.yaml");

        CommandRun run = CommandRun.of("study", "--task", missing.toString(), "--out", temp.resolve("studies").toString());

        assertThat(run.exitCode()).isEqualTo(BadInputException.EXIT_CODE);
        assertThat(run.err()).isEqualTo("kdflow study: " + missing + ": no such task file" + System.lineSeparator());
        assertThat(temp.resolve("studies")).doesNotExist();
    }

    @Test
    void shouldNameABadStageAndABadProfile() {
        CommandRun stages = CommandRun.of("study", "--task", TASK, "--stages", "S2,S9", "--out", temp.toString());
        CommandRun profile = CommandRun.of("study", "--task", TASK, "--profile", "fast", "--out", temp.toString());

        assertThat(stages.exitCode()).isEqualTo(BadInputException.EXIT_CODE);
        assertThat(stages.err()).startsWith("kdflow study: --stages S2,S9: 'S9' is not a stage (S1 to S8");
        assertThat(profile.exitCode()).isEqualTo(BadInputException.EXIT_CODE);
        assertThat(profile.err()).isEqualTo("kdflow study: --profile: 'fast' is not a profile (quick or paper)"
                + System.lineSeparator());
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void shouldNameAnUnknownStudyKeyWithItsFile() throws Exception {
        Path task = temp.resolve("task.yaml");
        Files.writeString(task, Files.readString(Path.of(TASK)).replace("../../", Path.of("..").toAbsolutePath()
                .normalize() + "/").replace("trivial_baseline:", "trivial_baselines:"));

        CommandRun run = CommandRun.of("study", "--task", task.toString(), "--out", temp.resolve("studies").toString());

        assertThat(run.exitCode()).isEqualTo(BadInputException.EXIT_CODE);
        assertThat(run.err()).startsWith("kdflow study: " + task + ": study.trivial_baselines: unknown key (allowed in"
                + " study: decoder_only_config, decoder_only_prompt, encoder_decoder_config, trivial_baseline)");
    }
}
