package io.kdflow.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kdflow.core.testing.EvalReportRun;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.EvalReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI report's path over {@link EvalReportRun}'s records (EvalReport to EvalPoint as the demo maps them).
 * The evaluator's {@code SameSelectionAsReportTest} feeds the same records to its leaderboard and expects the
 * same best student and gap closed.
 */
class SameSelectionAsEvaluatorTest {

    @Test
    void shouldSelectTheRunsBestStudentAndGapClosedForHigherAndLowerIsBetterMetrics() {
        List<EvalPoint> points = EvalReportRun.records().stream().map(SameSelectionAsEvaluatorTest::point).toList();

        EvalReportRun.EXPECTED.forEach((metric, expected) -> {
            JobSummary job = RunReport.of(points, ReportOptions.defaults().withSelection(metric, "dev")).jobs().get(0);

            Checkpoint student = job.bestStudent().orElseThrow();
            assertThat(student.step()).as(metric).isEqualTo(expected.bestStudentStep());
            assertThat(job.gapClosedPct(student, "dev").getAsDouble()).as(metric)
                    .isCloseTo(expected.gapClosedDev(), within(1e-9));
            assertThat(job.gapClosedPct(student, "test").getAsDouble()).as(metric)
                    .isCloseTo(expected.gapClosedTest(), within(1e-9));
        });
    }

    private static EvalPoint point(EvalReport report) {
        EvalRole role = EvalRole.valueOf(report.getRole().name());
        return new EvalPoint(report.getHeader().getJobId(), role.fileName(), role, report.getStep(),
                Topics.keyName(report.getSplit()), report.getMetricsMap());
    }
}
