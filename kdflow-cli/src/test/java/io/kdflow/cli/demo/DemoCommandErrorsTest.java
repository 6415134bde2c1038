package io.kdflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.cli.CommandRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kdflow demo} with bad settings fails at once with one line on stderr and starts nothing (no run
 * directory). Needs {@code kdflow.home} (the repository root, set by the pom) for the bundled data.
 */
class DemoCommandErrorsTest {

    @TempDir
    Path runs;

    @Test
    void shouldRejectTooFewExamplesForTheSchedule() {
        CommandRun run = demo("--examples", "160");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).isEqualTo("kdflow demo: --examples 160 with --batch-size 16 makes 10 training steps, "
                + "fewer than the 20 steps of the learning-rate warm-up: use --examples 320 or more, or a smaller "
                + "--batch-size" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
        assertThat(runs).isEmptyDirectory();
    }

    @Test
    void shouldRejectMoreExamplesThanTheBundledTrainingSet() {
        CommandRun run = demo("--examples", "8000");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).isEqualTo("kdflow demo: --examples 8000: data/shakespeare/train.jsonl has 7000 examples; "
                + "use at most 7000" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
        assertThat(runs).isEmptyDirectory();
    }

    @Test
    void shouldRejectMoreDevExamplesThanTheBundledDevSet() {
        CommandRun run = demo("--dev-examples", "1000");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).isEqualTo("kdflow demo: --dev-examples 1000: data/shakespeare/dev.jsonl has 750 "
                + "examples; use at most 750" + System.lineSeparator());
        assertThat(runs).isEmptyDirectory();
    }

    private CommandRun demo(String... options) {
        assertThat(Path.of(System.getProperty("kdflow.home"), "data/shakespeare/train.jsonl")).isRegularFile();
        String[] args = new String[options.length + 3];
        args[0] = "demo";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = "--runs-dir";
        args[options.length + 2] = runs.toString();
        return CommandRun.of(args);
    }
}
