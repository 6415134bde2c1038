package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kdflow distill}: bad job files and overrides exit 2 naming file and key; a tiny job runs end to end. */
class DistillCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldExitTwoNamingTheFileAndKeyOfABadJobFile() throws IOException {
        Path job = dir.resolve("bad.yaml");
        Files.writeString(job, "task:\n  train: train.jsonl\noptimization:\n  batch_size: big\n");
        Files.writeString(dir.resolve("train.jsonl"), "{\"id\":\"a\",\"source\":\"x\",\"target\":\"y\"}\n");

        CommandRun run = CommandRun.of("distill", "--local", "--job", job.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("kdflow distill: " + job
                + ": optimization.batch_size: 'big' is not an integer (an integer from 1 to 4096)")
                .doesNotContain("\n");
    }

    @Test
    void shouldCheckAnOverrideAsTheSameKeyInTheFile() throws IOException {
        Path job = tinyJob();

        CommandRun run = CommandRun.of("distill", "--local", "--job", job.toString(), "--set",
                "objective.type=logits");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(job + " (with --set): objective.type: 'logits' is not allowed");
    }

    @Test
    void shouldSayTheStreamingRunIsNotAvailableWithoutLocal() {
        CommandRun run = CommandRun.of("distill", "--job", "jobs/any.yaml");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("the streaming run over Kafka is ./kdflow run --job FILE; use --local");
    }

    @Test
    void shouldDistillATinyJobAndWriteTheReportThenReuseEveryPhase() throws IOException {
        Path job = tinyJob();
        String[] args = {"distill", "--local", "--job", job.toString(), "--cache", dir.resolve("cache").toString(),
            "--threads", "1", "--set", "optimization.epochs=1"};

        CommandRun first = CommandRun.of(args);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("kd: 7/7 steps (100.0%)").contains("pseudo-targets: ")
                .contains("baseline: dev at step");
        assertThat(first.out()).contains("copy-baseline").contains("kd-student").contains("gap closed on test nll");
        Path run = dir.resolve("runs/tiny");
        String report = Files.readString(run.resolve("report.md"));
        assertThat(report).contains("| bart-tiny | teacher |").contains("| copy-baseline | copy_baseline |")
                .contains("| ce-student | student_baseline |").contains("kd-student | student (best)")
                .contains("### test");
        JsonNode results = new ObjectMapper().readTree(run.resolve("results.json").toFile());
        assertThat(results.path("roles")).hasSize(4);
        assertThat(results.path("kd").path("evaluations")).hasSize(2);
        assertThat(run.resolve("kd/best/provenance.json")).isRegularFile();

        CommandRun second = CommandRun.of(args);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("baseline: finished before").contains("kd: finished before")
                .contains("test: finished before, reused").doesNotContain("kd: 1/");
    }

    /** bart-tiny as the pretrained teacher and a handful of Shakespeare pairs, output under {@code runs/}. */
    private Path tinyJob() throws IOException {
        TinyModels.copy(TinyModels.BART, dir);
        List<String> train = lines("tokenizer/shakespeare-train-300.jsonl");
        List<String> dev = lines("tokenizer/shakespeare-dev-40.jsonl");
        Files.write(dir.resolve("train.jsonl"), train.subList(0, 12), StandardCharsets.UTF_8);
        Files.write(dir.resolve("dev.jsonl"), dev.subList(0, 6), StandardCharsets.UTF_8);
        Files.write(dir.resolve("test.jsonl"), dev.subList(6, 10), StandardCharsets.UTF_8);
        List<String> unlabeled = new ArrayList<>();
        for (String line : train.subList(100, 104)) {
            unlabeled.add(line.replaceFirst(", \"target\": .*\\}$", "}"));
        }
        Files.write(dir.resolve("unlabeled.jsonl"), unlabeled, StandardCharsets.UTF_8);
        Path job = dir.resolve("tiny.yaml");
        Files.writeString(job, """
                name: tiny
                seed: 7
                threads: 1
                output: runs
                task:
                  train: train.jsonl
                  dev: dev.jsonl
                  test: test.jsonl
                  unlabeled: unlabeled.jsonl
                  max_source_tokens: 16
                  max_target_tokens: 12
                teacher:
                  source: pretrained
                  dir: bart-tiny
                student:
                  decoder_layers: [0, -1]
                objective:
                  type: logit_kd
                pseudo_targets:
                  k: 2
                  mode: sampling
                  unlabeled: true
                  distribution_top_k: 8
                joint_teaching:
                  mode: local
                optimization:
                  epochs: 2
                  batch_size: 4
                  learning_rate: 1e-3
                  final_finetune_epochs: 1
                baseline:
                  epochs: 1
                evaluation:
                  selection_metric: nll
                  num_beams: 1
                  evaluations_per_epoch: 2
                """);
        return job;
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = DistillCommandTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
