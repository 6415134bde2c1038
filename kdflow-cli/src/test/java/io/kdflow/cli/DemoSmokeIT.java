package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.eval.EvalDatasetReader;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.local.TinyJob;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kdflow run} end to end on a tiny job (bart-tiny teacher, a dozen Shakespeare pairs, K = 1) with the
 * packaged programs: the broker jar and the four services' {@code quarkus-run.jar}s under {@code kdflow.home} (the
 * repository root; the reactor packages them before this module's integration tests, see the pom) run as child
 * processes, exactly as {@code ./kdflow demo} runs them with jobs/shakespeare-quick.yaml. Each test also runs
 * {@code distill --local} on the same job file: the pipeline's trainer must take the same optimizer steps with the
 * same losses, bit for bit (one libtorch thread), with Joint-Teaching local (the teacher in the trainer) and remote
 * (teacher-service scores the student's samples over Kafka, staleness 0).
 */
class DemoSmokeIT {

    private static final List<String> METRICS = List.of("bleu", "chrf", "rouge", "nll");

    @TempDir
    Path dir;

    @Test
    void shouldDistillThroughThePackagedServicesAndReportTeacherBaselineAndStudent() throws Exception {
        Path job = tinyJob("local", "");

        CommandRun run = CommandRun.of("run", "--job", job.toString(), "--timeout-minutes", "15");

        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::info).toList())
                .as("child processes left after the run").isEmpty();
        assertThat(run.exitCode()).as("run output:%n%s%n%s", run.out(), run.err()).isZero();
        assertThat(run.out()).doesNotContain("dead letter:").contains("gap closed on test bleu")
                .contains("speed-up of the KD student over the teacher").contains("copy source  test");
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

        // Every PT once: 12 gold records and PT 0 of the 12 labeled and 4 unlabeled inputs, no duplicate.
        List<PseudoTarget> stored = PseudoTargetFile.readAll(runDir.resolve("trainer-data/tiny-pipeline/targets.pb"));
        assertThat(stored).hasSize(28);
        assertThat(stored.stream().map(r -> r.getKind() + "/" + r.getExampleId() + "/" + r.getPtIndex()).distinct())
                .hasSize(28);
        assertThat(stored.stream().filter(r -> r.getKind() == PseudoTarget.Kind.GOLD)).hasSize(12);

        Path trained = runDir.resolve("model-store/tiny-pipeline/run");
        assertSameStepsAsDistillLocal(job, trained);
        // The student learned: its dev NLL (teacher-forced on the references) fell below the pruned teacher's it
        // started from. BLEU cannot show it here: a 100k-parameter random-weight teacher's students score 0.
        double before = devNll(trained.resolve("student-init"), job.getParent().resolve("dev.jsonl"));
        double after = devNll(trained.resolve("final-fine-tune/best"), job.getParent().resolve("dev.jsonl"));
        assertThat(after).as("dev NLL after vs before training").isLessThan(before);
    }

    @Test
    void shouldTrainRemoteJointTeachingWithTheLossesOfDistillLocal() throws Exception {
        // The records carry the teacher's exact distribution (k = vocabulary, fp32), teacher-service scores the
        // student's samples; distill --local scores them with the same kd-core scorer in process.
        Path job = tinyJob("remote", """
                  teacher_logits: records
                """);

        CommandRun run = CommandRun.of("run", "--job", job.toString(), "--timeout-minutes", "15");

        assertThat(run.exitCode()).as("run output:%n%s%n%s", run.out(), run.err()).isZero();
        assertThat(run.out()).doesNotContain("dead letter:");
        assertThat(Files.readString(dir.resolve("runs/tiny-pipeline/logs/student-trainer.log")))
                .as("the student steps' samples went to teacher-service and back")
                .containsPattern("job tiny-pipeline: [1-9][0-9]* remote Joint-Teaching round trips to teacher-service,"
                        + " staleness at most 0 steps");
        // The same steps; the losses agree to float rounding (the sparse scores cross the wire as fp32 bytes and
        // the two processes sum the backward pass in their own order), not bit for bit as with a local teacher.
        assertSameStepsAsDistillLocal(job, dir.resolve("runs/tiny-pipeline/model-store/tiny-pipeline/run"), 1e-5);
    }

    private void assertSameStepsAsDistillLocal(Path job, Path pipelineRun) throws IOException {
        assertSameStepsAsDistillLocal(job, pipelineRun, 0.0);
    }

    /** The pipeline's kd and final-fine-tune steps against distill --local's: same count, losses within tolerance. */
    private void assertSameStepsAsDistillLocal(Path job, Path pipelineRun, double tolerance) throws IOException {
        CommandRun local = CommandRun.of("distill", "--local", "--job", job.toString(), "--set",
                "output=" + dir.resolve("local-runs"), "--cache", dir.resolve("local-cache").toString());
        assertThat(local.exitCode()).as("distill --local output:%n%s%n%s", local.out(), local.err()).isZero();
        for (String phase : List.of("kd", "final-fine-tune")) {
            List<String> steps = Files.readAllLines(pipelineRun.resolve(phase).resolve("steps.jsonl"));
            List<String> expectedSteps = Files.readAllLines(dir.resolve("local-runs/tiny-pipeline").resolve(phase)
                    .resolve("steps.jsonl"));
            if (tolerance == 0) {
                assertThat(steps).as("%s steps of the pipeline vs distill --local", phase).isNotEmpty()
                        .isEqualTo(expectedSteps);
                continue;
            }
            assertThat(steps).as("%s steps", phase).isNotEmpty().hasSameSizeAs(expectedSteps);
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < steps.size(); i++) {
                double pipeline = json.readTree(steps.get(i)).get("loss").asDouble();
                double expected = json.readTree(expectedSteps.get(i)).get("loss").asDouble();
                assertThat(pipeline).as("%s loss of step %d", phase, i)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance * Math.abs(expected)));
            }
        }
    }

    private static double devNll(Path model, Path dev) {
        List<EvalExample> examples = EvalDatasetReader.read(dev, 100);
        EvaluationSettings settings = new EvaluationSettings(1, 12, 16, 12, 4, "nll", examples.size(), 1, dev,
                Optional.empty(), false, false);
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(model, manager)) {
            return new SplitEvaluator(directory.model(), directory.tokenizer(), directory.generationConfig())
                    .evaluate(examples, settings).metrics().get("nll");
        }
    }

    /** kd-core's tiny job files (bart-tiny, 12 train, 6 dev, 4 test, 4 unlabeled pairs) with this test's job. */
    private Path tinyJob(String jointTeaching, String objective) throws IOException {
        TinyJob.prepare(dir);
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
                OBJECTIVE
                pseudo_targets:
                  k: 1
                  mode: sampling
                  unlabeled: true
                  distribution_top_k: 600
                  quantization: fp32
                  batch_size: 4
                joint_teaching:
                  mode: JOINT_TEACHING
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
                """.replace("OBJECTIVE\n", objective).replace("JOINT_TEACHING", jointTeaching));
    }
}
