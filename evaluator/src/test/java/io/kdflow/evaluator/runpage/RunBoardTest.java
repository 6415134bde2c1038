package io.kdflow.evaluator.runpage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.evaluator.state.Leaderboard;
import io.kdflow.evaluator.state.ReportedCheckpoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The run page's memory: bounded, de-duplicated by step, JSON-safe, newest job first. */
class RunBoardTest {

    private final MutableClock clock = new MutableClock();
    private final RunBoard board = new RunBoard(clock);

    @Test
    void shouldKeepACurveBoundedOverItsWholeRange() {
        int events = RunBoard.MAX_POINTS * 3;
        for (long step = 1; step <= events; step++) {
            board.checkpoint(intermediate("long", step, Map.of("dev_bleu", step / 10.0)), "not_final");
        }

        JsonArray points = curve(job("long"), "dev_bleu").getJsonArray("points");

        assertThat(points.size()).isBetween(RunBoard.MAX_POINTS / 2, RunBoard.MAX_POINTS);
        assertThat(points.getJsonArray(0).getLong(0)).as("the first step is kept").isEqualTo(1);
        assertThat(points.getJsonArray(points.size() - 1).getLong(0)).as("and the last").isEqualTo(events);
        assertThat(job("long").getLong("checkpoint_events")).isEqualTo(events);
    }

    @Test
    void thinningShouldDropEveryOtherPointButTheLast() {
        TreeMap<Long, Double> points = new TreeMap<>();
        for (long step = 1; step <= 6; step++) {
            points.put(step, (double) step);
        }

        RunBoard.thin(points);

        assertThat(points.keySet()).containsExactly(1L, 3L, 5L, 6L);
    }

    @Test
    void shouldReplaceARepublishedStepAndWriteNonFiniteValuesAsNull() {
        board.checkpoint(intermediate("resumed", 5, Map.of("dev_bleu", 10.0, "train_loss", Double.NaN)), "not_final");
        board.checkpoint(intermediate("resumed", 5, Map.of("dev_bleu", 10.0, "train_loss", Double.NaN)), "not_final");
        board.checkpoint(intermediate("resumed", 6, Map.of("dev_bleu", 11.0)), "not_final");

        JsonObject job = job("resumed");

        assertThat(curve(job, "dev_bleu").getJsonArray("points").encode()).isEqualTo("[[5,10.0],[6,11.0]]");
        assertThat(curve(job, "train_loss").getJsonArray("points").encode()).isEqualTo("[[5,null]]");
        assertThat(job.getString("status")).isEqualTo("training");
        assertThat(job.encode()).doesNotContain("NaN");
    }

    @Test
    void shouldKeepTheMostRecentlyUpdatedJobsFirstAndDropTheOldestBeyondTheBound() {
        for (int i = 0; i <= RunBoard.MAX_JOBS; i++) {
            clock.advance();
            board.checkpoint(intermediate("job-" + i, 1, Map.of("dev_bleu", 1.0)), "not_final");
        }
        clock.advance();
        board.reported(reported("job-1", ModelRole.TEACHER, 0), Optional.empty());

        List<String> ids = new ArrayList<>();
        board.snapshot().forEach(job -> ids.add(((JsonObject) job).getString("job")));

        assertThat(ids).hasSize(RunBoard.MAX_JOBS).doesNotContain("job-0");
        assertThat(ids.get(0)).isEqualTo("job-1");
        assertThat(ids.get(1)).isEqualTo("job-" + RunBoard.MAX_JOBS);
    }

    @Test
    void shouldShowEachRolesBestCheckpointInTheLeaderboardsOrder() {
        ReportedCheckpoint student = reported("ranked", ModelRole.STUDENT, 40);
        ReportedCheckpoint teacher = reported("ranked", ModelRole.TEACHER, 0);
        board.reported(student, Optional.of(best(student)));
        board.reported(teacher, Optional.of(best(teacher)));
        ReportedCheckpoint worse = new ReportedCheckpoint("ranked", ModelRole.STUDENT, 60, "sha-60", "store:x",
                Map.of("dev", Map.of("bleu", 1.0)), false, "bleu");
        board.reported(worse, Optional.of(best(student)));
        board.checkpoint(intermediate("ranked", 0, Map.of()).toBuilder().setRole(ModelRole.TEACHER).setFinal(true)
                .build(), "reported");
        board.checkpoint(intermediate("ranked", 60, Map.of("pt_records_trained", 96.0)).toBuilder().setFinal(true)
                .build(), "reported");

        JsonObject job = job("ranked");
        JsonArray rows = job.getJsonArray("leaderboard");

        assertThat(rows.getJsonObject(0).getString("role")).isEqualTo("teacher");
        JsonObject row = rows.getJsonObject(1);
        assertThat(row.getString("role")).isEqualTo("student");
        assertThat(row.getLong("checkpoints")).isEqualTo(2);
        assertThat(row.getLong("reports")).isEqualTo(3);
        assertThat(row.getLong("latest_step")).isEqualTo(60);
        assertThat(row.getLong("best_step")).isEqualTo(40);
        assertThat(row.getJsonObject("dev").getDouble("bleu")).isEqualTo(40.5);
        assertThat(job.getString("status")).isEqualTo("done");
        assertThat(board.reports()).isEqualTo(5);
        assertThat(job.getJsonObject("final_event_metrics").encode()).as("the teacher's event carries no metrics")
                .isEqualTo("{\"student\":{\"pt_records_trained\":96.0}}");
        assertThat(job.getJsonArray("curves")).as("final events draw no point").isEmpty();
    }

    private JsonObject job(String id) {
        for (Object job : board.snapshot()) {
            if (((JsonObject) job).getString("job").equals(id)) {
                return (JsonObject) job;
            }
        }
        throw new AssertionError("no job " + id + " in " + board.snapshot().encode());
    }

    private static JsonObject curve(JsonObject job, String metric) {
        for (Object curve : job.getJsonArray("curves")) {
            if (((JsonObject) curve).getString("metric").equals(metric)) {
                return (JsonObject) curve;
            }
        }
        throw new AssertionError("no curve " + metric + " in " + job.encode());
    }

    private static CheckpointEvent intermediate(String job, long step, Map<String, Double> metrics) {
        return CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setRole(ModelRole.STUDENT).setStep(step).setFinal(false).setPhase("kd").putAllMetrics(metrics)
                .build();
    }

    private static ReportedCheckpoint reported(String job, ModelRole role, long step) {
        return new ReportedCheckpoint(job, role, step, "sha-" + step, "store:" + job + "/" + step,
                Map.of("dev", Map.of("bleu", step + 0.5), "test", Map.of("bleu", step + 0.25)), true, "bleu");
    }

    private static Leaderboard.Best best(ReportedCheckpoint checkpoint) {
        return new Leaderboard.Best(checkpoint.step(), checkpoint.sha256(), "bleu",
                checkpoint.splits().get("dev").get("bleu"), checkpoint.splits());
    }

    /** A clock the test moves: one millisecond per call of advance(). */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T08:00:00Z");

        void advance() {
            now = now.plusMillis(1);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
