package io.kdflow.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.eval.MetricNames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ReportOptions OPTIONS = ReportOptions.defaults().withPlotSize(640, 400);

    @TempDir
    Path runDir;

    @Test
    void shouldSummarizeTeacherBestStudentBaselineAndGapClosedInJson() throws IOException {
        JsonNode job = writeAndReadJson(SyntheticRun.points()).get("jobs").get(0);

        assertThat(job.get("job").asText()).isEqualTo(SyntheticRun.JOB);
        assertThat(job.get("teacher").get("model").asText()).isEqualTo("t5-base");
        JsonNode best = job.get("best_student");
        assertThat(best.get("model").asText()).isEqualTo("t5-small-kd");
        assertThat(best.get("step").asLong()).as("the tie of steps 200 and 300 goes to the earlier").isEqualTo(200);
        assertThat(best.get("metrics").get("dev").get("bleu").asDouble()).isEqualTo(26.0);
        assertThat(best.get("metrics").get("test").get("bleu").asDouble()).as("same step on test").isEqualTo(25.5);
        assertThat(best.get("speedup_vs_teacher").get("dev").asDouble()).isCloseTo(4.0, within(1e-12));
        assertThat(job.get("student_baseline").get("model").asText()).isEqualTo("t5-small-gold");
        assertThat(job.get("student_baseline").get("step").asLong()).isEqualTo(200);
        assertThat(job.get("gap_closed_pct").get("dev").asDouble()).isCloseTo(50.0, within(1e-12));
        assertThat(job.get("gap_closed_pct").get("test").asDouble())
                .isCloseTo(100 * (25.5 - 22.5) / (29.0 - 22.5), within(1e-12));
        assertThat(job.get("notes")).isEmpty();
    }

    @Test
    void shouldListTheBestCheckpointOfEveryModelAndEveryPoint() throws IOException {
        JsonNode report = writeAndReadJson(SyntheticRun.points());
        JsonNode models = report.get("jobs").get(0).get("models");

        assertThat(report.get("format").asText()).isEqualTo("kdflow-report/1");
        assertThat(report.get("selection").get("metric").asText()).isEqualTo("bleu");
        assertThat(report.get("selection").get("higher_is_better").asBoolean()).isTrue();
        assertThat(models).extracting(model -> model.get("model").asText() + "@" + model.get("step").asLong())
                .containsExactly("t5-base@0", "t5-small-kd@200", "t5-tiny-kd@300", "t5-small-gold@200");
        JsonNode tiny = models.get(2);
        assertThat(tiny.get("gap_closed_pct").get("dev").asDouble()).isCloseTo(25.0, within(1e-12));
        assertThat(tiny.get("speedup_vs_teacher").get("dev").asDouble()).isCloseTo(8.0, within(1e-12));
        assertThat(models.get(0).has("gap_closed_pct")).as("only students have a gap closed").isFalse();
        assertThat(report.get("points")).hasSize(14);
        assertThat(report.get("points").get(0).get("role").asText()).isEqualTo("teacher");
    }

    @Test
    void shouldWriteOneMarkdownTableRowPerModelAndSplit() throws IOException {
        ReportWriter.Written written = new ReportWriter(OPTIONS).write(runDir, SyntheticRun.points());
        List<String> lines = Files.readAllLines(written.markdown());

        assertThat(lines).containsSubsequence(
                "## Job shakespeare",
                "Best student: **t5-small-kd** at step 200, BLEU 26.00 on dev (teacher t5-base: 30.00);"
                        + " gap closed 50.0%; 4.00x the teacher's speed.",
                "### dev",
                "| model | role | step | params | BLEU | ROUGE | chrF | NLL | latency p50 (ms) | speed-up vs teacher"
                        + " | gap closed |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
                "| t5-base | teacher | 0 | 220.0M | 30.00 | 50.00 | 55.00 | 1.00 | 40.0 | 1.00x | n/a |",
                "| t5-small-kd | student (best) | 200 | 60.5M | 26.00 | 46.00 | 51.00 | 1.40 | 10.0 | 4.00x | 50.0% |",
                "| t5-tiny-kd | student | 300 | 15.0M | 24.00 | 44.00 | 49.00 | 1.60 | 5.0 | 8.00x | 25.0% |",
                "| t5-small-gold | student_baseline | 200 | 60.5M | 22.00 | 42.00 | 47.00 | 1.80 | 10.0 | 4.00x | n/a |",
                "### test",
                "| t5-base | teacher | 0 | 220.0M | 29.00 | 49.00 | 54.00 | 1.10 | 41.0 | 1.00x | n/a |",
                "| t5-small-kd | student (best) | 200 | 60.5M | 25.50 | 45.50 | 50.50 | 1.45 | 10.3 | 4.00x | 46.2% |",
                "| t5-small-gold | student_baseline | 200 | 60.5M | 22.50 | 42.50 | 47.50 | 1.75 | 10.3 | 4.00x | n/a |",
                "![shakespeare: BLEU on dev over training steps](plots/shakespeare-dev-bleu-over-steps.png)",
                "![shakespeare: BLEU vs latency on dev (best checkpoint of each model)]"
                        + "(plots/shakespeare-dev-bleu-vs-latency.png)");
        assertThat(lines).filteredOn(line -> line.startsWith("| t5-tiny-kd")).hasSize(1);
    }

    @Test
    void shouldWritePngPlotsOfTheRequestedSizeThatTheReportLinks() throws IOException {
        ReportWriter.Written written = new ReportWriter(OPTIONS).write(runDir, SyntheticRun.points());

        assertThat(written.plots()).extracting(PlotFile::relativePath).containsExactly(
                "plots/shakespeare-dev-bleu-over-steps.png", "plots/shakespeare-dev-bleu-vs-latency.png");
        JsonNode json = MAPPER.readTree(written.json().toFile());
        assertThat(json.get("jobs").get(0).get("plots")).extracting(JsonNode::asText)
                .containsExactly("plots/shakespeare-dev-bleu-over-steps.png",
                        "plots/shakespeare-dev-bleu-vs-latency.png");
        for (PlotFile plot : written.plots()) {
            BufferedImage image = ImageIO.read(runDir.resolve(plot.relativePath()).toFile());
            assertThat(image).as(plot.relativePath()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(400);
            assertThat(distinctColours(image)).as("a drawn chart, not a blank canvas").isGreaterThan(5);
        }
    }

    @Test
    void shouldLeaveTheGapClosedUndefinedWhenTeacherEqualsBaseline() throws IOException {
        List<EvalPoint> points = List.of(
                SyntheticRun.point("j", "teacher", EvalRole.TEACHER, 0, "dev", 30.0, 40.0, 2e8),
                SyntheticRun.point("j", "kd", EvalRole.STUDENT, 10, "dev", 25.0, 10.0, 6e7),
                SyntheticRun.point("j", "gold", EvalRole.STUDENT_BASELINE, 10, "dev", 30.0, 10.0, 6e7));

        JsonNode job = writeAndReadJson(points).get("jobs").get(0);

        assertThat(job.get("gap_closed_pct").get("dev").isNull()).isTrue();
        assertThat(job.get("notes")).extracting(JsonNode::asText).containsExactly(
                "The gap closed on dev is undefined: teacher and student_baseline both have BLEU 30.00.");
        assertThat(Files.readAllLines(runDir.resolve("report.md")))
                .contains("| kd | student (best) | 10 | 60.0M | 25.00 | 45.00 | 50.00 | 1.50 | 10.0 | 4.00x | n/a |",
                        "- The gap closed on dev is undefined: teacher and student_baseline both have BLEU 30.00.");
    }

    @Test
    void shouldReportNoGapClosedWithoutBaseline() throws IOException {
        List<EvalPoint> points = List.of(
                SyntheticRun.point("j", "teacher", EvalRole.TEACHER, 0, "dev", 30.0, 40.0, 2e8),
                SyntheticRun.point("j", "kd", EvalRole.STUDENT, 10, "dev", 25.0, 10.0, 6e7));

        JsonNode job = writeAndReadJson(points).get("jobs").get(0);

        assertThat(job.get("student_baseline").isNull()).isTrue();
        assertThat(job.get("gap_closed_pct").get("dev").isNull()).isTrue();
        assertThat(job.get("best_student").get("gap_closed_pct").get("dev").isNull()).isTrue();
        assertThat(job.get("notes")).extracting(JsonNode::asText)
                .containsExactly("No student_baseline has bleu on dev: the gap closed is not computed.");
    }

    @Test
    void shouldChooseTheLowestValueWhenTheSelectionMetricIsALoss() throws IOException {
        ReportWriter writer = new ReportWriter(OPTIONS.withSelection(MetricNames.NLL, "dev"));
        JsonNode report = MAPPER.readTree(writer.write(runDir, SyntheticRun.points()).json().toFile());
        JsonNode job = report.get("jobs").get(0);

        assertThat(report.get("selection").get("higher_is_better").asBoolean()).isFalse();
        assertThat(job.get("best_student").get("step").asLong()).isEqualTo(200);
        assertThat(job.get("student_baseline").get("step").asLong()).isEqualTo(200);
        // NLL: teacher 1.0, baseline 1.8, student 1.4.
        assertThat(job.get("gap_closed_pct").get("dev").asDouble()).isCloseTo(50.0, within(1e-9));
        assertThat(runDir.resolve("plots/shakespeare-dev-nll-over-steps.png")).exists();
    }

    @Test
    void shouldLetTheLastOfDuplicatePointsWin() throws IOException {
        List<EvalPoint> points = new ArrayList<>(SyntheticRun.points());
        points.add(SyntheticRun.point(SyntheticRun.JOB, "t5-small-kd", EvalRole.STUDENT, 400, "dev", 28.0, 10.0, 6e7));

        JsonNode report = writeAndReadJson(points);

        assertThat(report.get("points")).hasSize(14);
        assertThat(report.get("jobs").get(0).get("best_student").get("step").asLong()).isEqualTo(400);
        assertThat(report.get("jobs").get(0).get("gap_closed_pct").get("dev").asDouble())
                .isCloseTo(75.0, within(1e-12));
    }

    @Test
    void shouldSummarizeEachJobOnItsOwnAndLeaveOutModelsWithoutTheSelectionMetric() throws IOException {
        List<EvalPoint> points = new ArrayList<>(SyntheticRun.points());
        points.add(SyntheticRun.point("other job", "teacher-2", EvalRole.TEACHER, 0, "dev", 10.0, 20.0, 1e8));
        points.add(new EvalPoint("other job", "nll-only", EvalRole.STUDENT, 5, "dev", java.util.Map.of("nll", 2.0)));

        JsonNode report = writeAndReadJson(points);
        JsonNode other = report.get("jobs").get(1);

        assertThat(report.get("jobs")).hasSize(2);
        assertThat(report.get("jobs").get(0).get("best_student").get("model").asText()).isEqualTo("t5-small-kd");
        assertThat(other.get("job").asText()).isEqualTo("other job");
        assertThat(other.get("teacher").get("model").asText()).isEqualTo("teacher-2");
        assertThat(other.get("best_student").isNull()).isTrue();
        assertThat(other.get("gap_closed_pct").isNull()).isTrue();
        assertThat(other.get("notes")).extracting(JsonNode::asText).containsExactly(
                "nll-only (student) has no bleu on dev and is left out of the summary.",
                "No student has bleu on dev: there is no best student.");
        assertThat(other.get("plots")).extracting(JsonNode::asText).as("no student curve to draw")
                .containsExactly("plots/other_job-dev-bleu-vs-latency.png");
    }

    @Test
    void shouldRejectNoPointsAndNonFiniteMetrics() {
        ReportWriter writer = new ReportWriter(OPTIONS);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(runDir, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no evaluation points to report");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EvalPoint("j", "kd", EvalRole.STUDENT, 3, "dev",
                java.util.Map.of("bleu", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric bleu of model kd step 3 on dev is NaN, expected a finite number");
    }

    private JsonNode writeAndReadJson(List<EvalPoint> points) throws IOException {
        ReportWriter.Written written = new ReportWriter(OPTIONS).write(runDir, points);
        assertThat(written.json()).isEqualTo(runDir.resolve("report.json"));
        return MAPPER.readTree(written.json().toFile());
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
