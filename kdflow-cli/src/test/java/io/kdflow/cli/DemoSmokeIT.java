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

/**
 * {@code ./kdflow run} end to end on a tiny job (bart-tiny teacher, a dozen Shakespeare pairs, K = 1) with the
 * packaged programs: the broker jar and the four services' {@code quarkus-run.jar}s under {@code kdflow.home} (the
 * repository root; the reactor packages them before this module's integration tests, see the pom) run as child
 * processes, exactly as {@code ./kdflow demo} runs them with jobs/shakespeare-quick.yaml.
 */
class DemoSmokeIT {

    private static final List<String> METRICS = List.of("bleu", "chrf", "rouge", "nll");

    @TempDir
    Path dir;

    @Test
    void shouldDistillThroughThePackagedServicesAndReportTeacherBaselineAndStudent() throws Exception {
        Path job = tinyJob();

        CommandRun run = CommandRun.of("run", "--job", job.toString(), "--timeout-minutes", "15");

        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::info).toList())
                .as("child processes left after the run").isEmpty();
        assertThat(run.exitCode()).as("run output:%n%s%n%s", run.out(), run.err()).isZero();
        assertThat(run.out()).doesNotContain("dead letter").contains("gap closed on test bleu")
                .contains("speed-up of the KD student over the teacher");
        Path runDir = dir.resolve("runs/tiny-pipeline");
        for (String log : List.of("kafka", "pt-sampler", "student-trainer", "evaluator", "teacher-service")) {
            assertThat(runDir.resolve("logs/" + log + ".log")).as("log of %s", log).isNotEmptyFile();
        }
        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        List<String> tested = new ArrayList<>();
        for (JsonNode point : report.get("points")) {
            if (point.get("split").asText().equals("test")) {
                tested.add(point.get("role").asText());
                for (String metric : METRICS) {
                    JsonNode value = point.get("metrics").get(metric);
                    assertThat(value).as("test %s of %s", metric, point.get("role")).isNotNull();
                    assertThat(Double.isFinite(value.asDouble())).isTrue();
                }
            }
        }
        assertThat(tested).containsExactlyInAnyOrder("teacher", "student_baseline", "student");
        assertThat(runDir.resolve("report.md")).isNotEmptyFile();
        assertThat(runDir.resolve("comparison.txt")).isNotEmptyFile();
    }

    private Path tinyJob() throws IOException {
        TinyModels.copy(TinyModels.BART, dir);
        List<String> train = lines("tokenizer/shakespeare-train-300.jsonl");
        List<String> dev = lines("tokenizer/shakespeare-dev-40.jsonl");
        Files.write(dir.resolve("train.jsonl"), train.subList(0, 12), StandardCharsets.UTF_8);
        Files.write(dir.resolve("dev.jsonl"), dev.subList(0, 4), StandardCharsets.UTF_8);
        Files.write(dir.resolve("test.jsonl"), dev.subList(4, 8), StandardCharsets.UTF_8);
        List<String> unlabeled = new ArrayList<>();
        for (String line : train.subList(100, 104)) {
            unlabeled.add(line.replaceFirst(", \"target\": .*\\}$", "}"));
        }
        Files.write(dir.resolve("unlabeled.jsonl"), unlabeled, StandardCharsets.UTF_8);
        return Files.writeString(dir.resolve("tiny-pipeline.yaml"), """
                name: tiny-pipeline
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
                  k: 1
                  mode: sampling
                  unlabeled: true
                  distribution_top_k: 8
                  batch_size: 4
                joint_teaching:
                  mode: local
                optimization:
                  epochs: 1
                  batch_size: 4
                  learning_rate: 1e-3
                  final_finetune_epochs: 1
                baseline:
                  epochs: 1
                evaluation:
                  num_beams: 1
                  evaluations_per_epoch: 1
                """);
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = DemoSmokeIT.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
