package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ./kdflow generate on the hf-tiny copy-task models prints what transformers generated (meta.json). */
class GenerateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {TinyModels.BART, TinyModels.T5})
    void shouldPrintTheRecordedGreedyTexts(String name) throws IOException {
        Path model = TinyModels.copy(name, dir);
        JsonNode meta = TinyModels.meta(name);
        Path input = sources(meta.get("test_texts"));
        Path output = dir.resolve("out/greedy.jsonl");

        CommandRun run = CommandRun.of("generate", "--model", model.toString(), "--input", input.toString(),
                "--output", output.toString(), "--max-new-tokens", "24", "--batch-size", "2", "--threads", "1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("generate: 3/3 inputs in");
        List<JsonNode> lines = read(output);
        int newTokens = 0;
        for (JsonNode line : lines) {
            for (JsonNode ids : line.get("token_ids")) {
                newTokens += ids.size();
            }
        }
        assertThat(run.err()).as("the last line counts every generated id")
                .containsPattern(", " + newTokens + " new tokens, \\d+\\.\\d new tokens/s\\)");
        JsonNode greedy = meta.get("generate").get("greedy");
        for (int i = 0; i < 3; i++) {
            JsonNode line = lines.get(i);
            assertThat(line.get("id").textValue()).isEqualTo("ex-" + i);
            assertThat(line.get("predictions")).hasSize(1);
            assertThat(line.get("predictions").get(0).textValue()).isEqualTo(greedy.get("text").get(i).textValue());
            JsonNode recorded = greedy.get("sequences").get(i);
            JsonNode ids = line.get("token_ids").get(0);
            for (int t = 0; t < ids.size(); t++) {
                assertThat(ids.get(t).longValue()).isEqualTo(recorded.get(t + 1).longValue());
            }
            assertThat(line.get("scores").get(0).doubleValue()).isNegative().isGreaterThan(-1.0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TinyModels.BART, TinyModels.T5})
    void shouldPrintTheRecordedBeamsAndScores(String name) throws IOException {
        Path model = TinyModels.copy(name, dir);
        JsonNode meta = TinyModels.meta(name);
        Path output = dir.resolve("beam.jsonl");

        CommandRun run = CommandRun.of("generate", "--model", model.toString(), "--input",
                sources(meta.get("test_texts")).toString(), "--output", output.toString(), "--max-new-tokens", "24",
                "--num-beams", "4", "--num-return-sequences", "2", "--early-stopping", "true");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode beam = meta.get("generate").get("beam4");
        List<JsonNode> lines = read(output);
        for (int row = 0; row < 6; row++) {
            JsonNode line = lines.get(row / 2);
            assertThat(line.get("predictions").get(row % 2).textValue()).isEqualTo(beam.get("text").get(row).textValue());
            assertThat(line.get("scores").get(row % 2).doubleValue())
                    .isCloseTo(beam.get("sequences_scores").get(row).doubleValue(), Offset.offset(1e-4));
        }
    }

    @Test
    void shouldWriteTheTopLogProbsOfEveryGeneratedPosition() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        JsonNode meta = TinyModels.meta(TinyModels.BART);
        Path output = dir.resolve("top.jsonl");

        CommandRun run = CommandRun.of("generate", "--model", model.toString(), "--input",
                sources(meta.get("test_texts")).toString(), "--output", output.toString(), "--max-new-tokens", "24",
                "--top-logprobs", "3", "--length-penalty", "0");
        CommandRun tooMany = CommandRun.of("generate", "--model", model.toString(), "--input",
                sources(meta.get("test_texts")).toString(), "--output", dir.resolve("x.jsonl").toString(),
                "--top-logprobs", "100000");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = read(output);
        for (int i = 0; i < 3; i++) {
            JsonNode ids = lines.get(i).get("token_ids").get(0);
            JsonNode positions = lines.get(i).get("top_logprobs").get(0);
            assertThat(positions).as("one row per generated token").hasSize(ids.size());
            double sumOfBest = 0;
            for (int t = 0; t < ids.size(); t++) {
                JsonNode position = positions.get(t);
                assertThat(position.get("ids")).hasSize(3);
                assertThat(position.get("ids").get(0).longValue()).as("greedy emits the most likely token")
                        .isEqualTo(ids.get(t).longValue());
                double first = position.get("logprobs").get(0).doubleValue();
                double second = position.get("logprobs").get(1).doubleValue();
                double third = position.get("logprobs").get(2).doubleValue();
                assertThat(first).isLessThanOrEqualTo(0).isGreaterThanOrEqualTo(second);
                assertThat(second).isGreaterThanOrEqualTo(third);
                assertThat(Math.exp(first) + Math.exp(second) + Math.exp(third)).isLessThanOrEqualTo(1 + 1e-6);
                sumOfBest += first;
            }
            assertThat(lines.get(i).get("scores").get(0).doubleValue()).as("length penalty 0: the sum of the log-probs")
                    .isCloseTo(sumOfBest, Offset.offset(1e-4));
        }
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("--top-logprobs: expected 0 to the model's vocabulary size");
    }

    @Test
    void shouldSampleTheSameWhateverTheBatchSize() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        Path input = sources(TinyModels.meta(TinyModels.BART).get("test_texts"));
        List<List<JsonNode>> outputs = new ArrayList<>();
        for (String batchSize : List.of("3", "1")) {
            Path output = dir.resolve("sample-" + batchSize + ".jsonl");
            CommandRun run = CommandRun.of("generate", "--model", model.toString(), "--input", input.toString(),
                    "--output", output.toString(), "--sample", "--seed", "5", "--num-return-sequences", "3",
                    "--temperature", "2.5", "--top-k", "0", "--top-p", "0.99", "--max-new-tokens", "12",
                    "--batch-size", batchSize);
            assertThat(run.exitCode()).as(run.err()).isZero();
            outputs.add(read(output));
        }
        for (int i = 0; i < 3; i++) {
            JsonNode single = outputs.get(1).get(i);
            JsonNode batched = outputs.get(0).get(i);
            assertThat(single.get("token_ids")).isEqualTo(batched.get("token_ids"));
            assertThat(single.get("predictions")).isEqualTo(batched.get("predictions"));
            for (int s = 0; s < 3; s++) { // libtorch sums in another order for another batch shape
                assertThat(single.get("scores").get(s).doubleValue())
                        .isCloseTo(batched.get("scores").get(s).doubleValue(), Offset.offset(1e-5));
            }
        }
        for (JsonNode line : read(dir.resolve("sample-3.jsonl"))) {
            assertThat(line.get("predictions")).hasSize(3);
            assertThat(line.get("token_ids")).hasSize(3);
            assertThat(line.get("scores")).hasSize(3);
        }
    }

    @Test
    void shouldContinueDecoderOnlyPrompts() throws IOException {
        Path model = TinyModels.copy(TinyModels.GPT2, dir);
        JsonNode meta = TinyModels.meta(TinyModels.GPT2);
        Path output = dir.resolve("gpt2.jsonl");

        CommandRun run = CommandRun.of("generate", "--model", model.toString(), "--input",
                sources(meta.get("prompts")).toString(), "--output", output.toString(), "--max-new-tokens", "16");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> lines = read(output);
        for (int i = 0; i < 3; i++) {
            String continuation = lines.get(i).get("predictions").get(0).textValue();
            String recorded = meta.get("greedy_text").get(i).textValue().replace("<|endoftext|>", "");
            assertThat(meta.get("prompts").get(i).textValue() + continuation).isEqualTo(recorded);
        }
    }

    private Path sources(JsonNode texts) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            lines.add(JSON.writeValueAsString(JSON.createObjectNode().put("id", "ex-" + i)
                    .put("source", texts.get(i).textValue())));
        }
        Path file = dir.resolve("in.jsonl");
        Files.write(file, lines);
        return file;
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
