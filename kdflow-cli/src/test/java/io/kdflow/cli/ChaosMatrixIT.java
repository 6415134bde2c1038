package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 matrix of issue #10 on jobs/chaos-tiny.yaml with the packaged broker and services: {@code ./kdflow
 * chaos} runs the job uninterrupted, then kills each of pt-sampler, teacher-service, student-trainer, evaluator and
 * the broker with SIGKILL at 5 seeded points and restarts it. Every run must complete with every PT record trained
 * once, the trainer's steps and losses those of the uninterrupted run, each checkpoint reported once. Not part of
 * the default {@code verify} (about 15 minutes on 2 cores): CI runs it with {@code tools/chaos-matrix.sh}
 * ({@code -Dit.test=ChaosMatrixIT}).
 */
class ChaosMatrixIT {

    private static final List<String> PROCESSES = List.of("sampler", "teacher", "trainer", "evaluator", "broker");
    private static final int KILLS = 5;
    /** 40 labeled + 40 unlabeled inputs: 40 GOLD records and 2 PTs per input. */
    private static final int EXPECTED_PTS = 40 + 80 * 2;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverFromEveryKillWithEveryPtOnceTheSameLossesAndEachCheckpointReportedOnce() throws Exception {
        Path home = Path.of(System.getProperty("kdflow.home", "..")).toAbsolutePath().normalize();
        Path job = home.resolve("jobs/chaos-tiny.yaml");

        CommandRun run = CommandRun.of("chaos", "--job", job.toString(), "--set", "output=" + dir.resolve("runs"),
                "--kills", String.valueOf(KILLS), "--seed", "7");
        System.out.println(run.out()); // the progress and the table, for CI's log

        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::info).toList())
                .as("child processes left after the matrix").isEmpty();
        assertThat(run.exitCode()).as("chaos output:%n%s%n%s", run.out(), run.err()).isZero();
        assertThat(run.out()).contains("every check passed").doesNotContain("FAILED");
        Path base = dir.resolve("runs/chaos-tiny");
        assertThat(base.resolve("chaos.md")).isNotEmptyFile();
        JsonNode table = new ObjectMapper().readTree(base.resolve("chaos.json").toFile());
        assertThat(table.get("passed").asBoolean()).isTrue();
        assertThat(table.get("kills_per_process").asInt()).isEqualTo(KILLS);
        JsonNode runs = table.get("runs");
        List<String> processes = new ArrayList<>();
        runs.forEach(r -> processes.add(r.get("process").isNull() ? "reference" : r.get("process").asText()));
        assertThat(processes).containsExactly("reference", "sampler", "teacher", "trainer", "evaluator", "broker");

        JsonNode reference = runs.get(0);
        int referenceSteps = reference.get("trainer_steps").asInt();
        assertThat(referenceSteps).as("optimizer steps of the uninterrupted run").isPositive();
        for (JsonNode row : runs) {
            String process = row.get("process").isNull() ? "reference" : row.get("process").asText();
            assertThat(row.get("completed").asBoolean()).as("%s: completed", process).isTrue();
            row.get("checks").fields().forEachRemaining(check -> assertThat(check.getValue().asText())
                    .as("%s: check %s", process, check.getKey()).isEmpty());
            assertThat(row.get("pt_records_expected").asInt()).as("%s: PTs expected", process).isEqualTo(EXPECTED_PTS);
            assertThat(row.get("pt_records_on_topic").asInt()).as("%s: distinct PTs on the topic", process)
                    .isEqualTo(EXPECTED_PTS);
            assertThat(row.get("pt_records_trained").asInt()).as("%s: PTs trained", process).isEqualTo(EXPECTED_PTS);
            assertThat(row.get("trainer_steps").asInt()).as("%s: optimizer steps", process).isEqualTo(referenceSteps);
            JsonNode reports = row.get("reports_per_checkpoint");
            assertThat(reports.size()).as("%s: checkpoints reported (teacher, baseline, student on dev and test)",
                    process).isGreaterThanOrEqualTo(6);
            reports.fields().forEachRemaining(report -> assertThat(report.getValue().asInt())
                    .as("%s: reports of %s", process, report.getKey()).isEqualTo(1));
            if (process.equals("reference")) {
                continue;
            }
            assertThat(row.get("kills")).as("%s: kills", process).hasSize(KILLS);
            row.get("kills").forEach(kill -> assertThat(kill.get("recovered_seconds").isNumber())
                    .as("%s: kill %s recovered", process, kill.get("index")).isTrue());
            // The trainer keeps the first copy and counts the others it consumes before its final event; copies that
            // arrive after it (a sampler regenerating an epoch the trainer already has) are not counted, so the
            // count is no bound on the copies on the topic: exactness is the distinct count above.
            assertThat(row.get("pt_records_duplicate").isNumber()).as("%s: the trainer counts duplicates", process)
                    .isTrue();
        }
        assertThat(runs.get(PROCESSES.indexOf("trainer") + 1).get("trainer_resumes").asInt())
                .as("the trainer resumed from a checkpoint after a kill").isPositive();
        String markdown = Files.readString(base.resolve("chaos.md"));
        for (String process : PROCESSES) {
            assertThat(markdown).contains("| " + process + " | " + KILLS + " | " + KILLS + " | " + EXPECTED_PTS + " / "
                    + EXPECTED_PTS + " |");
        }
    }
}
