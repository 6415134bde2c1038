package io.kdflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end on a tiny profile with the packaged programs: the broker jar and the four services'
 * {@code quarkus-run.jar}s under {@code kdflow.home} (the repository root; the reactor packages them before
 * this module's integration tests, see the pom) run as child processes, exactly as {@code ./kdflow demo} runs
 * them.
 */
class DemoSmokeIT {

    private static final List<String> METRICS = List.of("bleu", "chrf", "rouge", "nll");

    @TempDir
    Path runs;

    @Test
    void shouldTrainAndEvaluateEveryCheckpointThroughThePackagedServices() throws Exception {
        Path home = Path.of(System.getProperty("kdflow.home"));
        // 80 examples in batches of 4: 20 steps (the warm-up's minimum), a checkpoint every 10 steps.
        DemoSettings tiny = new DemoSettings(80, 4, 4, 2, 5);
        StringWriter out = new StringWriter();

        DemoRun.Outcome outcome = new DemoRun(home, runs, tiny, new PrintWriter(out, true)).run();

        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::info).toList())
                .as("child processes left after the demo").isEmpty();
        assertThat(outcome.exitCode()).as("demo output:%n%s", out).isZero();
        assertThat(outcome.deadLetters()).as("dead letters").isEmpty();
        assertThat(outcome.reports()).isEqualTo(2);
        for (String log : List.of("kafka", "pt-sampler", "student-trainer", "evaluator", "teacher-service")) {
            assertThat(outcome.runDir().resolve("logs/" + log + ".log")).as("log of %s", log).isNotEmptyFile();
        }

        JsonNode report = new ObjectMapper().readTree(outcome.runDir().resolve("report.json").toFile());
        List<Long> devSteps = new ArrayList<>();
        for (JsonNode point : report.get("points")) {
            if (point.get("role").asText().equals("student") && point.get("split").asText().equals("dev")) {
                devSteps.add(point.get("step").asLong());
                for (String metric : METRICS) {
                    JsonNode value = point.get("metrics").get(metric);
                    assertThat(value).as("dev %s at step %s", metric, point.get("step")).isNotNull();
                    assertThat(Double.isFinite(value.asDouble())).as("dev %s = %s is finite", metric, value).isTrue();
                }
            }
        }
        assertThat(devSteps).as("evaluated checkpoints, in order").containsExactly(10L, 20L);
        assertThat(outcome.runDir().resolve("report.md")).isNotEmptyFile();
    }
}
