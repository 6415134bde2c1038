package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model directories, bad input lines and bad options end as one line naming the file, exit code 2. */
class ModelCommandErrorsTest {

    @TempDir
    Path dir;

    @Test
    void shouldNameAMissingModelDirectory() throws IOException {
        Path missing = dir.resolve("no-model");

        CommandRun run = generate(missing, goodInput());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("kdflow generate: " + missing + ": no such model directory");
    }

    @Test
    void shouldNameACorruptOrMissingConfigFile() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        Files.writeString(model.resolve("config.json"), "{\"model_type\": \"bart\", ");

        CommandRun corrupt = generate(model, goodInput());
        Files.delete(model.resolve("config.json"));
        CommandRun missing = CommandRun.of("prune", "--model", model.toString(), "--output", dir.resolve("p").toString());

        assertThat(corrupt.exitCode()).isEqualTo(2);
        assertThat(corrupt.err().strip()).startsWith("kdflow generate: " + model.resolve("config.json")).doesNotContain("\n");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("kdflow prune: " + model.resolve("config.json") + ": no such file");
    }

    @Test
    void shouldNameACorruptWeightsFile() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        Files.write(model.resolve("model.safetensors"), new byte[] {1, 2, 3});

        CommandRun run = generate(model, goodInput());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("kdflow generate: " + model.resolve("model.safetensors"))
                .doesNotContain("\n");
    }

    @Test
    void shouldNameTheFileLineAndFieldOfABadInputLine() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, "{\"id\": \"a\", \"source\": \"fine\"}\n{\"id\": \"b\", \"source\": 5}\n");
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, "{\"id\": \"a\", \"source\": \"fine\"}\n");

        CommandRun run = generate(model, input);
        CommandRun score = CommandRun.of("score", "--model", model.toString(), "--input", pairs.toString(),
                "--output", dir.resolve("s.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip())
                .isEqualTo("kdflow generate: " + input + " line 2, field \"source\": expected a string, got a number");
        assertThat(score.exitCode()).isEqualTo(2);
        assertThat(score.err().strip()).isEqualTo("kdflow score: " + pairs + " line 1: missing field \"target\"");
    }

    @Test
    void shouldExplainBadDecodingOptions() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);

        CommandRun beams = CommandRun.of("generate", "--model", model.toString(), "--input", goodInput().toString(),
                "--output", dir.resolve("o.jsonl").toString(), "--num-beams", "2", "--num-return-sequences", "3");
        CommandRun stopping = CommandRun.of("generate", "--model", model.toString(), "--input", goodInput().toString(),
                "--output", dir.resolve("o.jsonl").toString(), "--early-stopping", "sometimes");

        assertThat(beams.exitCode()).isEqualTo(2);
        assertThat(beams.err().strip())
                .isEqualTo("kdflow generate: num_return_sequences (3) must be <= num_beams (2)");
        assertThat(stopping.exitCode()).isEqualTo(2);
        assertThat(stopping.err().strip())
                .isEqualTo("kdflow generate: --early-stopping: expected true, false or never, got \"sometimes\"");
    }

    private CommandRun generate(Path model, Path input) {
        return CommandRun.of("generate", "--model", model.toString(), "--input", input.toString(), "--output",
                dir.resolve("out.jsonl").toString());
    }

    private Path goodInput() throws IOException {
        Path input = dir.resolve("good.jsonl");
        Files.writeString(input, "{\"id\": \"a\", \"source\": \"the work must carry prominent notices\"}\n");
        return input;
    }
}
