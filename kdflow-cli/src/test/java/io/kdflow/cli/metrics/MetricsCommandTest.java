package io.kdflow.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.cli.CommandRun;
import io.kdflow.core.metrics.TaskMetrics;
import io.kdflow.core.metrics.TaskMetricsResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldGiveFullScoresWhenPredictionsEqualReferencesInAnotherOrder() throws IOException {
        Path predictions = write("p.jsonl",
                "{\"id\": \"b\", \"prediction\": \"and his words would bounce her back to me .\"}",
                "{\"id\": \"a\", \"prediction\": \"My words would bounce her to my sweet love ,\"}");
        Path references = write("r.jsonl",
                "{\"id\": \"a\", \"target\": \"My words would bounce her to my sweet love ,\"}",
                "{\"id\": \"b\", \"target\": \"and his words would bounce her back to me .\"}");

        JsonNode json = runOk(predictions, references);

        assertThat(json.get("n").asInt()).isEqualTo(2);
        // sacrebleu's exp(log(100)) is 100.00000000000004 as well; kd-core reproduces it bit for bit.
        assertThat(json.get("bleu").asDouble()).isCloseTo(100.0, within(1e-9));
        assertThat(json.get("chrf").asDouble()).isEqualTo(100.0);
        assertThat(json.get("ter").asDouble()).isEqualTo(0.0);
        assertThat(json.get("rouge").asDouble()).isEqualTo(100.0);
        assertThat(json.get("rougeL").get("f1").asDouble()).isEqualTo(100.0);
    }

    @Test
    void shouldPrintTheFileNamesThenTheKdCoreKeysInOrder() throws IOException {
        Path predictions = write("p.jsonl", "{\"id\": \"a\", \"prediction\": \"the cat sat on the mat\"}");
        Path references = write("r.jsonl", "{\"id\": \"a\", \"target\": \"the cat is on the mat\"}");

        JsonNode json = runOk(predictions, references);

        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("predictions_file", "references_file", "n", "dropped", "bleu", "chrf",
                "ter", "rouge", "rouge1", "rouge2", "rougeL", "bleu_details", "ter_details", "options");
        assertThat(json.get("predictions_file").asText()).isEqualTo(predictions.toString());
        assertThat(json.get("references_file").asText()).isEqualTo(references.toString());
        assertThat(json.get("options").get("drop_empty").asBoolean()).isFalse();
        assertThat(json.get("options").get("rouge_stemming").asBoolean()).isFalse();
    }

    @Test
    void shouldMatchHandComputedScoresForAKnownPair() throws IOException {
        Path predictions = write("p.jsonl", "{\"id\": \"a\", \"prediction\": \"the cat sat on the mat\"}");
        Path references = write("r.jsonl", "{\"id\": \"a\", \"target\": \"the cat is on the mat\"}");

        JsonNode json = runOk(predictions, references);

        // n-gram precisions 5/6, 3/5, 1/4 and, with "exp" smoothing of the zero 4-gram match, 1/(2*3); bp = 1.
        assertThat(json.get("bleu").asDouble()).isCloseTo(100 * Math.pow(5.0 / 6 * 3 / 5 / 4 / 6, 0.25), within(1e-9));
        assertThat(json.get("rouge1").get("f1").asDouble()).isCloseTo(100 * 5.0 / 6, within(1e-9));
        assertThat(json.get("rouge2").get("f1").asDouble()).isCloseTo(60.0, within(1e-9));
        assertThat(json.get("rougeL").get("f1").asDouble()).isCloseTo(100 * 5.0 / 6, within(1e-9));
        assertThat(json.get("rouge").asDouble()).isCloseTo((500.0 / 6 + 60 + 500.0 / 6) / 3, within(1e-9));
    }

    @Test
    void shouldGiveExactlyTheKdCoreScoresForPairsMatchedById() throws IOException {
        Path predictions = write("p.jsonl",
                "{\"id\": \"x2\", \"prediction\": \"Thou art more lovely and more temperate.\"}",
                "{\"id\": \"x1\", \"prediction\": \"I am the youngest man of that name.\"}",
                "{\"id\": \"x3\", \"prediction\": \"Rough winds do shake the buds of May\"}");
        Path references = write("r.jsonl",
                "{\"id\": \"x1\", \"target\": \"I am the youngest man by that name, because there is no one younger.\"}",
                "{\"id\": \"x3\", \"target\": \"Rough winds shake the darling buds of May.\"}",
                "{\"id\": \"x2\", \"target\": \"You are lovelier and milder.\"}");

        JsonNode json = runOk(predictions, references);

        TaskMetricsResult expected = TaskMetrics.score(
                List.of("Thou art more lovely and more temperate.", "I am the youngest man of that name.",
                        "Rough winds do shake the buds of May"),
                List.of(List.of("You are lovelier and milder."),
                        List.of("I am the youngest man by that name, because there is no one younger."),
                        List.of("Rough winds shake the darling buds of May.")),
                TaskMetrics.Options.defaults());
        assertThat(json.get("bleu").asDouble()).isEqualTo(expected.bleu().score());
        assertThat(json.get("chrf").asDouble()).isEqualTo(expected.chrf());
        assertThat(json.get("ter").asDouble()).isEqualTo(expected.ter().score());
        assertThat(json.get("rouge").asDouble()).isEqualTo(expected.rouge());
        assertThat(json.get("rouge2").get("precision").asDouble()).isEqualTo(expected.rouge2().precision());
        assertThat(json.get("bleu_details").get("sys_len").asInt()).isEqualTo(expected.bleu().sysLen());
        assertThat(expected.bleu().score()).isBetween(1.0, 99.0);
    }

    @Test
    void shouldScoreTheFirstOfGenerateOutputPredictions() throws IOException {
        Path predictions = write("p.jsonl",
                "{\"id\": \"a\", \"predictions\": [\"the cat sat on the mat\", \"the cat is on the mat\"],"
                        + " \"token_ids\": [[1, 2], [3]], \"scores\": [-0.5, -0.9]}");
        Path references = write("r.jsonl", "{\"id\": \"a\", \"target\": \"the cat is on the mat\"}");

        JsonNode json = runOk(predictions, references);

        assertThat(json.get("rouge2").get("f1").asDouble()).isCloseTo(60.0, within(1e-9));
    }

    @Test
    void shouldPreferAllReferencesOverTheTargetWhenALineHasBoth() throws IOException {
        Path predictions = write("p.jsonl", "{\"id\": \"a\", \"prediction\": \"the cat is on the mat\"}");
        Path references = write("r.jsonl", "{\"id\": \"a\", \"source\": \"x\", \"target\": \"a dog\","
                + " \"references\": [\"a dog\", \"the cat is on the mat\"]}");

        JsonNode json = runOk(predictions, references);

        assertThat(json.get("bleu").asDouble()).isCloseTo(100.0, within(1e-9));
        assertThat(json.get("rouge").asDouble()).isEqualTo(100.0);
    }

    @Test
    void shouldDropBlankPairsAndStemWhenAsked() throws IOException {
        Path predictions = write("p.jsonl",
                "{\"id\": \"a\", \"prediction\": \"cats running\"}",
                "{\"id\": \"b\", \"prediction\": \"  \"}");
        Path references = write("r.jsonl",
                "{\"id\": \"a\", \"target\": \"cat run\"}",
                "{\"id\": \"b\", \"target\": \"anything\"}");

        JsonNode plain = runOk(predictions, references);
        JsonNode paper = runOk(predictions, references, "--drop-empty", "--stem");

        assertThat(plain.get("n").asInt()).isEqualTo(2);
        assertThat(plain.get("rouge1").get("f1").asDouble()).isZero();
        assertThat(paper.get("n").asInt()).isEqualTo(1);
        assertThat(paper.get("dropped").asInt()).isEqualTo(1);
        assertThat(paper.get("rouge1").get("f1").asDouble()).isEqualTo(100.0);
        assertThat(paper.get("options").get("drop_empty").asBoolean()).isTrue();
        assertThat(paper.get("options").get("rouge_stemming").asBoolean()).isTrue();
    }

    @Test
    void shouldWriteToTheOutputFileInsteadOfStdout() throws IOException {
        Path predictions = write("p.jsonl", "{\"id\": 7, \"prediction\": \"the cat sat on the mat\"}");
        Path references = write("r.jsonl", "{\"id\": 7, \"target\": \"the cat sat on the mat\"}");
        Path output = dir.resolve("out/metrics.json");

        CommandRun run = CommandRun.of("metrics", "--predictions", predictions.toString(), "--references",
                references.toString(), "--output", output.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEmpty();
        String text = Files.readString(output);
        assertThat(text).startsWith("{\n  \"predictions_file\": ").endsWith("}" + System.lineSeparator());
        assertThat(MAPPER.readTree(text).get("bleu").asDouble()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void shouldAcceptABlankLineAndAByteOrderMarkAndCountLinesAsAnEditorDoes() throws IOException {
        Path predictions = write("p.jsonl", "\uFEFF{\"id\": \"a\", \"prediction\": \"x y z\"}", "",
                "{\"id\": \"b\", \"prediction\": 3}");
        Path references = write("r.jsonl", "{\"id\": \"a\", \"target\": \"x y z\"}");

        CommandRun run = run(predictions, references);

        assertThat(run.err()).isEqualTo("kdflow metrics: " + predictions
                + " line 3, field \"prediction\": expected a string, got a number" + System.lineSeparator());
    }

    private JsonNode runOk(Path predictions, Path references, String... extra) throws IOException {
        CommandRun run = run(predictions, references, extra);
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        return MAPPER.readTree(run.out());
    }

    private static CommandRun run(Path predictions, Path references, String... extra) {
        List<String> args = new ArrayList<>(List.of("metrics", "--predictions", predictions.toString(),
                "--references", references.toString()));
        args.addAll(List.of(extra));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }
}
