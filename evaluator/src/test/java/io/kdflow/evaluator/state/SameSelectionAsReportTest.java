package io.kdflow.evaluator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kdflow.core.testing.EvalReportRun;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's path over {@link EvalReportRun}'s records: checkpoints reach the {@link Leaderboard} in delivery
 * order, each marked best or not as {@code EvaluationService} marks it. kdflow-cli's
 * {@code SameSelectionAsEvaluatorTest} runs the CLI report over the same records and expects the same answers.
 */
class SameSelectionAsReportTest {

    @Test
    void shouldSelectTheRunsBestStudentAndGapClosedForHigherAndLowerIsBetterMetrics() {
        EvalReportRun.EXPECTED.forEach((metric, expected) -> {
            Leaderboard board = new Leaderboard();
            for (ReportedCheckpoint checkpoint : checkpoints(metric)) {
                boolean best = board.improves(checkpoint.job(), checkpoint.role(), checkpoint.step(), metric,
                        checkpoint.splits().get(Leaderboard.DEV));
                board.record(new ReportedCheckpoint(checkpoint.job(), checkpoint.role(), checkpoint.step(),
                        checkpoint.sha256(), checkpoint.uri(), checkpoint.splits(), best, metric));
            }

            Leaderboard.Best student = board.best(EvalReportRun.JOB, ModelRole.STUDENT).orElseThrow();
            assertThat(student.step()).as(metric).isEqualTo(expected.bestStudentStep());
            assertThat(gap(board, student, "dev", metric)).as(metric).isCloseTo(expected.gapClosedDev(), within(1e-9));
            assertThat(gap(board, student, "test", metric)).as(metric).isCloseTo(expected.gapClosedTest(), within(1e-9));
        });
    }

    private static double gap(Leaderboard board, Leaderboard.Best student, String split, String metric) {
        return board.gapClosed(EvalReportRun.JOB, split, student.splits().get(split), List.of(metric))
                .get("gap_closed_" + metric);
    }

    /** The records grouped per checkpoint (role, step), in delivery order. */
    private static List<ReportedCheckpoint> checkpoints(String metric) {
        Map<String, Map<String, Map<String, Double>>> splits = new LinkedHashMap<>();
        Map<String, EvalReport> first = new LinkedHashMap<>();
        for (EvalReport report : EvalReportRun.records()) {
            String key = report.getRole() + "/" + report.getStep();
            first.putIfAbsent(key, report);
            splits.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(Topics.keyName(report.getSplit()),
                    report.getMetricsMap());
        }
        return first.entrySet().stream().map(e -> new ReportedCheckpoint(EvalReportRun.JOB, e.getValue().getRole(),
                e.getValue().getStep(), e.getValue().getCheckpointSha256(), e.getValue().getCheckpointUri(),
                splits.get(e.getKey()), false, metric)).toList();
    }
}
