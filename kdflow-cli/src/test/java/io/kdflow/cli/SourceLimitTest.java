package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-source-tokens} (and score's {@code --max-target-tokens}): a source (target) longer than the model's
 * positions (bart-tiny: 128) is refused with a message naming the example and the option; with the option it is
 * cut keeping its end token, so the result equals running the already-cut text.
 */
class SourceLimitTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASourceLongerThanTheModelsPositionsNamingTheOption() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        Path input = write("long.jsonl", "long", longText(200), "a target");

        CommandRun generate = CommandRun.of("generate", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("g.jsonl").toString());
        CommandRun score = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("s.jsonl").toString());

        assertThat(generate.exitCode()).isEqualTo(2);
        assertThat(generate.err().strip()).matches("kdflow generate: example long: the source has \\d+ tokens but"
                + " the model supports at most 128 positions; cut it with --max-source-tokens 128");
        assertThat(score.exitCode()).isEqualTo(2);
        assertThat(score.err().strip()).startsWith("kdflow score: example long: the source has ");
    }

    @Test
    void shouldCutLongSourcesKeepingTheEndTokenLikeTransformers() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        Path input = write("long.jsonl", "long", longText(200), "the king is here");

        CommandRun cut = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("cut.jsonl").toString(), "--max-source-tokens", "16");
        CommandRun same = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("same.jsonl").toString(), "--max-source-tokens", "16");
        CommandRun longer = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("longer.jsonl").toString(), "--max-source-tokens", "64");
        CommandRun tooSmall = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("x.jsonl").toString(), "--max-source-tokens", "1");

        assertThat(cut.exitCode()).as(cut.err()).isZero();
        assertThat(cut.err()).containsPattern("score: 1 examples, \\d+ target tokens, mean NLL [0-9.]+ \\(token-weighted"
                + " [0-9.]+\\), [0-9.]+ s, [0-9.]+ target tokens/s");
        double nll16 = GenerateCommandTest.read(dir.resolve("cut.jsonl")).get(0).get("nll").doubleValue();
        double nll16Again = GenerateCommandTest.read(dir.resolve("same.jsonl")).get(0).get("nll").doubleValue();
        double nll64 = GenerateCommandTest.read(dir.resolve("longer.jsonl")).get(0).get("nll").doubleValue();
        assertThat(nll16Again).isEqualTo(nll16);
        assertThat(nll64).as("a longer cut sees more of the source").isNotEqualTo(nll16);
        assertThat(tooSmall.exitCode()).isEqualTo(2);
        assertThat(tooSmall.err().strip()).isEqualTo("kdflow score: --max-source-tokens: 1 is not allowed (at least 2:"
                + " a token and the end token)");

        CommandRun generate = CommandRun.of("generate", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("g.jsonl").toString(), "--max-source-tokens", "16", "--max-new-tokens", "8");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        List<JsonNode> generated = GenerateCommandTest.read(dir.resolve("g.jsonl"));
        assertThat(generated).hasSize(1);
        assertThat(generated.get(0).get("predictions")).hasSize(1);
    }

    @Test
    void shouldRefuseOrCutATargetLongerThanTheModelsPositions() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        Path input = write("long-target.jsonl", "long", "the king is here", longText(200));

        CommandRun refused = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("refused.jsonl").toString());
        CommandRun cut = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("cut.jsonl").toString(), "--max-target-tokens", "16");
        CommandRun tooSmall = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("x.jsonl").toString(), "--max-target-tokens", "0");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).matches("kdflow score: example long: the target has \\d+ tokens but"
                + " the model supports at most 128 positions; cut it with --max-target-tokens 128");
        assertThat(cut.exitCode()).as(cut.err()).isZero();
        assertThat(GenerateCommandTest.read(dir.resolve("cut.jsonl")).get(0).get("tokens").intValue()).isEqualTo(16);
        assertThat(tooSmall.exitCode()).isEqualTo(2);
        assertThat(tooSmall.err().strip()).isEqualTo("kdflow score: --max-target-tokens: 0 is not allowed (at least 1)");
    }

    private Path write(String name, String id, String source, String target) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path file = dir.resolve(name);
        Files.writeString(file, json.writeValueAsString(json.createObjectNode().put("id", id).put("source", source)
                .put("target", target)) + "\n");
        return file;
    }

    private static String longText(int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i % 2 == 0 ? "the king " : "is here ");
        }
        return text.toString().strip();
    }
}
