package io.kdflow.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.eval.MetricNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy baseline in a report: one point, no checkpoints to choose from and no NLL (a copied source has no
 * likelihood), so a job selected on NLL still lists it, after the models, without a "left out" note.
 */
class CopyBaselineReportTest {

    @TempDir
    Path runDir;

    @Test
    void shouldListTheCopyBaselineWhateverTheSelectionMetric() throws Exception {
        List<EvalPoint> points = List.of(
                new EvalPoint("job", "teacher", EvalRole.TEACHER, 0, "dev", Map.of("bleu", 30.0, "nll", 2.0)),
                new EvalPoint("job", "ce", EvalRole.STUDENT_BASELINE, 4, "dev", Map.of("bleu", 20.0, "nll", 3.0)),
                new EvalPoint("job", "kd", EvalRole.STUDENT, 4, "dev", Map.of("bleu", 22.0, "nll", 2.8)),
                new EvalPoint("job", "kd", EvalRole.STUDENT, 8, "dev", Map.of("bleu", 24.0, "nll", 2.5)),
                new EvalPoint("job", "copy", EvalRole.COPY_BASELINE, 0, "dev", Map.of("bleu", 16.1, "chrf", 40.0)),
                new EvalPoint("job", "copy", EvalRole.COPY_BASELINE, 0, "test", Map.of("bleu", 15.0)));

        ReportWriter.Written written = new ReportWriter(ReportOptions.defaults().withSelection(MetricNames.NLL, "dev")
                .withPlotSize(640, 400)).write(runDir, points);

        JobSummary job = written.report().jobs().get(0);
        assertThat(job.models()).extracting(Checkpoint::model).containsExactly("teacher", "kd", "ce", "copy");
        assertThat(job.models().get(3).metricsBySplit()).containsOnlyKeys("dev", "test");
        assertThat(job.notes()).noneMatch(note -> note.contains("left out"));
        assertThat(job.bestStudent().orElseThrow().step()).isEqualTo(8);
        assertThat(job.gapClosedPct(job.bestStudent().get(), "dev").getAsDouble()).isEqualTo(50.0);
        String markdown = Files.readString(written.markdown());
        assertThat(markdown).contains("| copy | copy_baseline | 0 | n/a | 16.10 | n/a | 40.00 | n/a | n/a | n/a | n/a |")
                .contains("| copy | copy_baseline | 0 | n/a | 15.00 |");
        assertThat(Files.readString(written.json())).contains("\"role\": \"copy_baseline\"");
    }
}
