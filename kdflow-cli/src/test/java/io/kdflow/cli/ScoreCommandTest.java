package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ./kdflow score gives the NLLs whose token-weighted mean is transformers' loss on the same texts. */
class ScoreCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {TinyModels.BART, TinyModels.T5})
    void shouldReproduceTheReferenceLoss(String name) throws IOException {
        Path model = TinyModels.copy(name, dir);
        JsonNode texts = TinyModels.meta(name).get("test_texts");
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String text = texts.get(i).textValue();
            lines.add(json.writeValueAsString(json.createObjectNode().put("id", i).put("source", text).put("target", text)));
        }
        Path input = dir.resolve("pairs.jsonl");
        Files.write(input, lines);
        Path output = dir.resolve("scores.jsonl");

        CommandRun run = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", output.toString(), "--batch-size", "2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        double total = 0;
        long tokens = 0;
        List<JsonNode> scores = GenerateCommandTest.read(output);
        assertThat(scores).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(scores.get(i).get("id").textValue()).isEqualTo(Integer.toString(i));
            total += scores.get(i).get("nll").doubleValue() * scores.get(i).get("tokens").intValue();
            tokens += scores.get(i).get("tokens").intValue();
        }
        assertThat(scores.get(1).get("tokens").intValue()).as("13 labels of row 1 in reference.safetensors").isEqualTo(13);
        assertThat(total / tokens).isCloseTo(referenceLoss(model), Offset.offset(1e-6));
        assertThat(run.err()).containsPattern("score: 3 examples, " + tokens + " target tokens, mean NLL 0\\.0\\d+"
                + " \\(token-weighted 0\\.0\\d+\\), [0-9.]+ s, [0-9.]+ target tokens/s; scoring loop [0-9.]+ s, [0-9.]+"
                + " target tokens/s");
    }

    @Test
    void shouldWriteTheOneThreadScoresOfHalfTheBatchInInputOrderOnTwoWorkers() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        JsonNode texts = TinyModels.meta(TinyModels.BART).get("test_texts");
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // four batches of two: two per worker, the last one short
            String source = texts.get(i % texts.size()).textValue();
            String target = texts.get((i + 1) % texts.size()).textValue();
            lines.add(json.writeValueAsString(json.createObjectNode().put("id", "p" + i).put("source", source)
                    .put("target", target)));
        }
        Path input = dir.resolve("pairs.jsonl");
        Files.write(input, lines);

        List<String> oneThread = scoreLines(model, input, "1", "2");
        List<String> twoWorkers = scoreLines(model, input, "2", "4"); // each worker scores batches of two

        assertThat(oneThread).hasSize(7);
        assertThat(twoWorkers).as("two workers of one thread, half the batch each: the same bytes, the same order")
                .isEqualTo(oneThread);
    }

    private List<String> scoreLines(Path model, Path input, String threads, String batchSize) throws IOException {
        Path output = dir.resolve("scores-" + threads + ".jsonl");
        CommandRun run = CommandRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", output.toString(), "--batch-size", batchSize, "--threads", threads);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return Files.readAllLines(output);
    }

    private static double referenceLoss(Path model) throws IOException {
        try (SafetensorsFile reference = SafetensorsFile.open(model.resolve("reference.safetensors"))) {
            ByteBuffer bytes = reference.read("loss").order(ByteOrder.LITTLE_ENDIAN);
            return bytes.getFloat(0);
        }
    }
}
