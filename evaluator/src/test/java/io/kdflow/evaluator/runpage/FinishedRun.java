package io.kdflow.evaluator.runpage;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.evaluator.testing.TestCheckpoints;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Feeds the evaluator a small finished run the way the pipeline does, through the real broker: the job's spec with
 * a trained teacher (evaluated on arrival), the final CE baseline (bart-tiny pruned to one decoder layer), the
 * trainer's intermediate student checkpoints with its own metrics ({@code dev_bleu}, {@code dev_chrf} = BLEU + 10,
 * {@code train_loss}) in the
 * phases "kd" and "final-fine-tune" (one re-published after a resume), and the final student with the trainer's
 * counters. The teacher, baseline and student are evaluated for real (bart-tiny copy model, copy task).
 */
final class FinishedRun {

    static final String TOKEN = "test-token";
    static final long BASELINE_STEP = 30;
    static final long STUDENT_STEP = 50;
    /** The trainer's intermediate checkpoints: phase, step, dev BLEU, train loss. */
    static final List<Object[]> TRAINER = List.of(
            new Object[] {"kd", 10L, 12.5, 3.25},
            new Object[] {"kd", 20L, 31.0, 2.125},
            new Object[] {"kd", 30L, 55.25, 1.5},
            new Object[] {"kd", 40L, 80.0, 0.875},
            new Object[] {"final-fine-tune", 45L, 84.5, 0.625},
            new Object[] {"final-fine-tune", 50L, 86.0, 0.5});
    static final Map<String, Double> FINAL_COUNTERS = Map.of("pt_records_trained", 96.0, "pt_records_duplicate", 2.0,
            "trainer_resumes", 1.0);

    private static final ObjectMapper JSON = new ObjectMapper();

    private FinishedRun() {}

    static String freshJob(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Feeds the run of {@code job}; returns its six reports (teacher, baseline, student on dev and test). */
    static List<EvalReport> feed(KafkaTestClient kafka, String job) throws IOException {
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(header(job))
                .setTask("copy")
                .setTeacherUri(TestCheckpoints.copyBartTiny(job, "teacher"))
                .setStudent(StudentSpec.newBuilder().setSource(StudentSpec.Source.PRUNED_TEACHER))
                .setPseudoTargets(PseudoTargetSpec.newBuilder().setMode(PseudoTargetSpec.Mode.SAMPLING)
                        .setNumPseudoTargets(4))
                .setEvaluation(EvaluationSpec.newBuilder().setMeasureLatency(false).setMeasureThroughput(false))
                .build();
        kafka.send(Topics.JOBS, job.getBytes(StandardCharsets.UTF_8), WireCodecs.JOB_SPEC.encode(spec));
        awaitReports(kafka, job, 2);
        send(kafka, TestCheckpoints.eventFor(job, ModelRole.STUDENT_BASELINE, BASELINE_STEP,
                TestCheckpoints.prunedBartTiny(job, "baseline")).toBuilder().setPhase("baseline").build());
        awaitReports(kafka, job, 4);
        for (Object[] point : TRAINER) {
            send(kafka, intermediate(job, point));
        }
        send(kafka, intermediate(job, TRAINER.get(1))); // re-published after a resume: the same point
        send(kafka, TestCheckpoints.eventFor(job, ModelRole.STUDENT, STUDENT_STEP,
                TestCheckpoints.copyBartTiny(job, "student")).toBuilder().setPhase("final-fine-tune")
                .putAllMetrics(FINAL_COUNTERS).build());
        return awaitReports(kafka, job, 6);
    }

    /** {@code GET /api/runs} (with the test profile's token) once the job shows as done with its trainer counters. */
    static JsonNode awaitDone(String job) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            found[0] = jobOf(runs(), job);
            return found[0] != null && found[0].path("status").asText().equals("done")
                    && found[0].path("final_event_metrics").has("student");
        });
        return found[0];
    }

    static JsonNode runs() throws IOException {
        String body = RestAssured.given().header("Authorization", "Bearer " + TOKEN).get(RunPage.API)
                .then().statusCode(200).contentType("application/json").extract().asString();
        return JSON.readTree(body);
    }

    static JsonNode jobOf(JsonNode runs, String job) {
        for (JsonNode node : runs.path("jobs")) {
            if (node.path("job").asText().equals(job)) {
                return node;
            }
        }
        return null;
    }

    static void sendIntermediate(KafkaTestClient kafka, String job, Object[] point) {
        send(kafka, intermediate(job, point));
    }

    private static CheckpointEvent intermediate(String job, Object[] point) {
        long step = (Long) point[1];
        return CheckpointEvent.newBuilder()
                .setHeader(header(job))
                .setRole(ModelRole.STUDENT)
                .setStep(step)
                .setUri(TestCheckpoints.uri(job, "student/step-" + step))
                .setSha256("0".repeat(64))
                .setFinal(false)
                .setPhase((String) point[0])
                .putMetrics("dev_bleu", (Double) point[2])
                .putMetrics("dev_chrf", (Double) point[2] + 10)
                .putMetrics("train_loss", (Double) point[3])
                .build();
    }

    private static RecordHeader.Builder header(String job) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job);
    }

    private static void send(KafkaTestClient kafka, CheckpointEvent event) {
        String key = Topics.checkpointKey(event.getHeader().getJobId(), event.getRole());
        kafka.send(Topics.CHECKPOINTS, key.getBytes(StandardCharsets.UTF_8), WireCodecs.CHECKPOINT_EVENT.encode(event));
    }

    private static List<EvalReport> awaitReports(KafkaTestClient kafka, String job, int count) {
        return kafka.awaitMatching(Topics.EVAL_REPORTS, count,
                        r -> WireCodecs.EVAL_REPORT.decode(r.value()).getHeader().getJobId().equals(job),
                        Duration.ofSeconds(120))
                .stream().map(r -> WireCodecs.EVAL_REPORT.decode(r.value())).toList();
    }
}
