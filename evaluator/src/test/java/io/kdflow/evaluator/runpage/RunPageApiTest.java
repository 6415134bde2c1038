package io.kdflow.evaluator.runpage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.testing.BadRecordProbe;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/runs} after a small run went through the evaluator (real broker, real evaluations): the job, its
 * leaderboard equal to the published reports, the trainer's dev metric over steps, its final counters, and the
 * evaluator's record and dead-letter counters; the page's files open without the token, the data does not.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class RunPageApiTest {

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldServeTheJobLeaderboardCurvesAndCountersOfAFinishedRun() throws Exception {
        String job = FinishedRun.freshJob("runpage-api");
        List<EvalReport> reports = FinishedRun.feed(kafka, job);

        JsonNode view = FinishedRun.awaitDone(job);

        assertThat(view.path("spec").path("task").asText()).isEqualTo("copy");
        assertThat(view.path("spec").path("teacher_uri").asText()).isEqualTo("store:" + job + "/teacher");
        assertThat(view.path("spec").path("student").asText()).isEqualTo("pruned_teacher");
        assertThat(view.path("spec").path("pseudo_targets").asText()).isEqualTo("sampling x4");
        assertThat(view.path("checkpoint_events").asLong()).as("baseline, 6 intermediate + 1 again, final")
                .isEqualTo(9);
        JsonNode leaderboard = view.path("leaderboard");
        List<String> roles = new ArrayList<>();
        leaderboard.forEach(row -> roles.add(row.path("role").asText()));
        assertThat(roles).containsExactly("teacher", "student_baseline", "student");
        for (JsonNode row : leaderboard) {
            ModelRole role = ModelRole.valueOf(row.path("role").asText().toUpperCase());
            assertThat(row.path("checkpoints").asLong()).isEqualTo(1);
            assertThat(row.path("reports").asLong()).isEqualTo(2);
            assertThat(row.path("selection_metric").asText()).isEqualTo("bleu");
            for (Split split : List.of(Split.DEV, Split.TEST)) {
                EvalReport report = reportOf(reports, role, split);
                JsonNode metrics = row.path(split.name().toLowerCase());
                assertThat(row.path("best_step").asLong()).isEqualTo(report.getStep());
                report.getMetricsMap().forEach((name, value) -> assertThat(metrics.path(name).asDouble())
                        .as("%s %s %s", role, split, name).isEqualTo(value));
                assertThat(metrics.size()).isEqualTo(report.getMetricsCount());
            }
            assertThat(row.path("best_value").asDouble()).isEqualTo(row.path("dev").path("bleu").asDouble());
        }
        assertThat(leaderboard.get(0).path("best_step").asLong()).isZero();
        assertThat(leaderboard.get(1).path("best_step").asLong()).isEqualTo(FinishedRun.BASELINE_STEP);
        assertThat(leaderboard.get(2).path("best_step").asLong()).isEqualTo(FinishedRun.STUDENT_STEP);
        assertThat(leaderboard.get(2).path("dev").path("gap_closed_bleu").asDouble())
                .as("the copy student closes the whole gap to the copy teacher").isEqualTo(100.0);

        assertThat(points(view, "kd", "dev_bleu")).containsExactly(
                List.of(10.0, 12.5), List.of(20.0, 31.0), List.of(30.0, 55.25), List.of(40.0, 80.0));
        assertThat(points(view, "final-fine-tune", "dev_bleu")).containsExactly(
                List.of(45.0, 84.5), List.of(50.0, 86.0));
        assertThat(points(view, "kd", "train_loss")).containsExactly(
                List.of(10.0, 3.25), List.of(20.0, 2.125), List.of(30.0, 1.5), List.of(40.0, 0.875));
        assertThat(points(view, "final-fine-tune", "dev_chrf")).containsExactly(
                List.of(45.0, 94.5), List.of(50.0, 96.0));
        assertThat(view.path("curves")).as("dev_bleu, dev_chrf and train_loss of two phases; none for the baseline")
                .hasSize(6);
        JsonNode counters = view.path("final_event_metrics").path("student");
        FinishedRun.FINAL_COUNTERS.forEach((name, value) -> assertThat(counters.path(name).asDouble()).isEqualTo(value));
    }

    @Test
    void shouldCountRecordsByOutcomeAndDeadLettersByTopicAndReason() throws Exception {
        String job = FinishedRun.freshJob("runpage-counters");
        long notFinalBefore = FinishedRun.runs().path("counters").path("records").path("not_final").asLong();
        long malformedBefore = deadLetters(FinishedRun.runs(), "malformed");
        FinishedRun.sendIntermediate(kafka, job, FinishedRun.TRAINER.get(0));
        FinishedRun.sendIntermediate(kafka, job, FinishedRun.TRAINER.get(1));
        new BadRecordProbe(kafka, "evaluator", () -> "").sendCorrupt(Topics.CHECKPOINTS, job + "/corrupt");

        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters(FinishedRun.runs(), "malformed") > malformedBefore
                && FinishedRun.jobOf(FinishedRun.runs(), job) != null
                && FinishedRun.jobOf(FinishedRun.runs(), job).path("checkpoint_events").asLong() == 2);
        JsonNode runs = FinishedRun.runs();

        JsonNode counters = runs.path("counters");
        assertThat(counters.path("records").path("not_final").asLong()).isGreaterThanOrEqualTo(notFinalBefore + 2);
        assertThat(counters.path("records").path("dead_letter").asLong()).isPositive();
        assertThat(counters.path("dead_letters_total").asLong()).isGreaterThanOrEqualTo(counters.path("records")
                .path("dead_letter").asLong());
        long reports = 0;
        for (JsonNode each : runs.path("jobs")) {
            for (JsonNode row : each.path("leaderboard")) {
                reports += row.path("reports").asLong();
            }
        }
        assertThat(counters.path("reports").asLong()).as("the leaderboards' reports").isEqualTo(reports);
        JsonNode view = FinishedRun.jobOf(runs, job);
        assertThat(view.path("status").asText()).as("the trainer published, nothing is evaluated yet")
                .isEqualTo("training");
        assertThat(view.path("phase").asText()).isEqualTo("kd");
        assertThat(view.path("leaderboard")).isEmpty();
    }

    @Test
    void shouldServeThePageWithoutTheTokenAndTheDataOnlyWithIt() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script src=\"/run-page/run-page.js\"></script>"));
        given().get("/run-page/run-page.js").then().statusCode(200).contentType(containsString("javascript"))
                .body(containsString("\"Bearer \" + t"));
        given().get("/run-page/run-page.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get(RunPage.API).then().statusCode(401)
                .body("error", equalTo("Authorization: missing (this API needs a bearer token)"));
        given().header("Authorization", "Bearer wrong").get(RunPage.API).then().statusCode(401)
                .body("error", equalTo("Authorization: wrong bearer token"));
        given().get("/run-page/other.js").then().statusCode(401);
    }

    private static long deadLetters(JsonNode runs, String reason) {
        long count = 0;
        for (JsonNode letter : runs.path("counters").path("dead_letters")) {
            if (letter.path("topic").asText().equals(Topics.CHECKPOINTS) && letter.path("reason").asText().equals(reason)) {
                count += letter.path("count").asLong();
            }
        }
        return count;
    }

    private static List<List<Double>> points(JsonNode job, String phase, String metric) {
        for (JsonNode curve : job.path("curves")) {
            if (curve.path("role").asText().equals("student") && curve.path("phase").asText().equals(phase)
                    && curve.path("metric").asText().equals(metric)) {
                List<List<Double>> points = new ArrayList<>();
                curve.path("points").forEach(p -> points.add(List.of(p.get(0).asDouble(), p.get(1).asDouble())));
                return points;
            }
        }
        return List.of();
    }

    private static EvalReport reportOf(List<EvalReport> reports, ModelRole role, Split split) {
        List<EvalReport> matching = reports.stream().filter(r -> r.getRole() == role && r.getSplit() == split).toList();
        assertThat(matching).as("%s %s reports", role, split).hasSize(1);
        return matching.get(0);
    }
}
