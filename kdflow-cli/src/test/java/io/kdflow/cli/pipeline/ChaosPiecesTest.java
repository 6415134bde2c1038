package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kill matrix's pieces that need no pipeline: kill points, process names, step-log comparison, the checks. */
class ChaosPiecesTest {

    @TempDir
    Path dir;

    @Test
    void shouldDrawTheSameSortedKillPointsForTheSameSeedAndProcess() {
        // The uninterrupted run: one progress unit per second for 100 s.
        List<KillPlan.Progress> reference = new ArrayList<>();
        for (int second = 0; second <= 100; second++) {
            reference.add(new KillPlan.Progress(Duration.ofSeconds(second), second));
        }

        KillPlan plan = KillPlan.of(ChaosVictim.TRAINER, 5, 7, reference);

        assertThat(plan.at()).hasSize(5).isSorted().isEqualTo(KillPlan.of(ChaosVictim.TRAINER, 5, 7, reference).at())
                .allSatisfy(point -> assertThat(point).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(90)));
        assertThat(plan.milestones()).isEqualTo(plan.at().stream().map(Duration::toSeconds).toList());
        assertThat(KillPlan.of(ChaosVictim.BROKER, 5, 7, reference).at()).isNotEqualTo(plan.at());
        assertThat(KillPlan.of(ChaosVictim.TRAINER, 5, 8, reference).at()).isNotEqualTo(plan.at());
    }

    @Test
    void shouldKillAtTheProgressTheUninterruptedRunHadMadeByThePoint() {
        // Progress jumps at 10 s (PTs) and 50 s (a report) and stays flat in between.
        List<KillPlan.Progress> reference = List.of(new KillPlan.Progress(Duration.ZERO, 0),
                new KillPlan.Progress(Duration.ofSeconds(10), 200), new KillPlan.Progress(Duration.ofSeconds(50), 205),
                new KillPlan.Progress(Duration.ofSeconds(100), 215));

        KillPlan plan = KillPlan.of(ChaosVictim.EVALUATOR, 20, 7, reference);

        for (int i = 0; i < plan.at().size(); i++) {
            long seconds = plan.at().get(i).toSeconds();
            assertThat(plan.milestones().get(i)).as("progress at %d s", seconds)
                    .isEqualTo(seconds < 10 ? 0 : seconds < 50 ? 200 : 205);
        }
        assertThat(ChaosRun.progressUnits(200, 45, 4)).isEqualTo(265);
    }

    @Test
    void shouldGiveEveryServiceTheFastFailoverGroupTimingAndOnlyKafkaClientSettings() {
        ServiceConfig config = new ServiceConfig("127.0.0.1:9092", dir, 1, ServiceConfig.FAST_FAILOVER);

        for (String service : ServiceConfig.SERVICES) {
            assertThat(config.properties(service)).as(service).containsEntry("kafka.session.timeout.ms", "10000")
                    .containsEntry("kafka.heartbeat.interval.ms", "3000")
                    .containsEntry("kafka.bootstrap.servers", "127.0.0.1:9092");
        }
        assertThat(new ServiceConfig("127.0.0.1:9092", dir, 1).properties("pt-sampler"))
                .doesNotContainKey("kafka.session.timeout.ms");
        assertThatThrownBy(() -> new ServiceConfig("127.0.0.1:9092", dir, 1, Map.of("session.timeout.ms", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a kafka.* client setting: session.timeout.ms");
    }

    @Test
    void shouldParseProcessesIntoTheMatrixOrderAndNameAnUnknownOne() {
        assertThat(ChaosVictim.parse("broker, trainer,sampler,trainer")).containsExactly(ChaosVictim.SAMPLER,
                ChaosVictim.TRAINER, ChaosVictim.BROKER);
        assertThatThrownBy(() -> ChaosVictim.parse("trainer,zookeeper")).isInstanceOf(UserError.class)
                .hasMessage("--processes trainer,zookeeper: 'zookeeper' is not a process (one or more of sampler,"
                        + " teacher, trainer, evaluator, broker, comma-separated)");
    }

    @Test
    void shouldFindEveryWayAResumedStepLogDiffersFromTheUninterruptedOne() throws IOException {
        StepLogs reference = StepLogs.read(store("reference", Map.of("job/run/kd", List.of(
                step(0, 2.5), step(1, 2.25), step(2, 2.125)), "job/run/final-fine-tune", List.of(step(0, 1.5)))));
        StepLogs same = StepLogs.read(store("same", Map.of("job/run/kd", List.of(
                step(0, 2.5), step(1, 2.25), step(2, 2.125)), "job/run/final-fine-tune", List.of(step(0, 1.5)))));
        StepLogs resumedWrongly = StepLogs.read(store("wrong", Map.of("job/run/kd", List.of(
                step(0, 2.5), step(1, 2.25), step(1, 2.25), step(3, 2.0)), "job/run/extra", List.of(step(0, 1.0)))));

        assertThat(same.compareWith(reference, 0)).isEqualTo(new StepLogs.Comparison(List.of(), 4, 4, 0));
        assertThat(resumedWrongly.compareWith(reference, 1e-5).differences()).containsExactly(
                "job/run/final-fine-tune/steps.jsonl: missing (the reference took 1 steps)",
                "job/run/kd/steps.jsonl: step 1 logged twice",
                "job/run/kd/steps.jsonl: step 2 missing",
                "job/run/kd/steps.jsonl: step 3 not in the reference",
                "job/run/extra/steps.jsonl: not in the reference");
        StepLogs changedLoss = StepLogs.read(store("loss", Map.of("job/run/kd", List.of(
                step(0, 2.5), step(1, 2.2500000000000004), step(2, 2.125)), "job/run/final-fine-tune",
                List.of(step(0, 1.5)))));
        assertThat(changedLoss.compareWith(reference, 0).differences()).containsExactly(
                "job/run/kd/steps.jsonl: step 1 loss 2.2500000000000004 vs 2.25 uninterrupted");
        StepLogs.Comparison withinTolerance = changedLoss.compareWith(reference, 1e-5);
        assertThat(withinTolerance.differences()).isEmpty();
        assertThat(withinTolerance.compared()).isEqualTo(4);
        assertThat(withinTolerance.exact()).isEqualTo(3);
        assertThat(withinTolerance.maxRelative()).isEqualTo((2.2500000000000004 - 2.25) / 2.25);
        assertThat(reference.size()).isEqualTo(4);
    }

    @Test
    void shouldSeeTheTrainerGoPastTheStepItWasKilledAt() throws IOException {
        StepLogs atKill = StepLogs.read(store("kill", Map.of("job/run/kd", List.of(step(0, 2.5), step(1, 2.25)))));
        StepLogs redone = StepLogs.read(store("redo", Map.of("job/run/kd", List.of(step(0, 2.5), step(1, 2.25)))));
        StepLogs beyond = StepLogs.read(store("beyond", Map.of("job/run/kd", List.of(step(0, 2.5), step(1, 2.25),
                step(2, 2.0)))));
        StepLogs nextPhase = StepLogs.read(store("phase", Map.of("job/run/kd", List.of(step(0, 2.5), step(1, 2.25)),
                "job/run/final-fine-tune", List.of(step(0, 1.5)))));

        assertThat(redone.hasStepBeyond(atKill)).isFalse();
        assertThat(beyond.hasStepBeyond(atKill)).isTrue();
        assertThat(nextPhase.hasStepBeyond(atKill)).isTrue();
        assertThat(StepLogs.read(dir.resolve("no-store")).size()).isZero();
    }

    @Test
    void shouldNameEachFailedCheckOfAKilledRun() throws IOException {
        StepLogs steps = StepLogs.read(store("ref", Map.of("job/run/kd", List.of(step(0, 2.5)))));
        ChaosRun.Result reference = result(Optional.empty(), true, List.of(), evidence(200, 200, 200, steps,
                Map.of("student/9/abc/test", 1)));
        KillPlan plan = KillPlan.of(ChaosVictim.SAMPLER, 3, 7, List.of(new KillPlan.Progress(Duration.ZERO, 0),
                new KillPlan.Progress(Duration.ofSeconds(60), 260)));
        ChaosRun.Kill recovered = new ChaosRun.Kill(1, Duration.ofSeconds(10), 53, 50, 3, Optional.of(Duration.ofSeconds(9)),
                Optional.of(Duration.ofSeconds(9)), "");
        ChaosRun.Kill lost = new ChaosRun.Kill(2, Duration.ofSeconds(30), 159, 150, 9, Optional.empty(), Optional.empty(),
                "pt-sampler exited with code 1 while starting");
        ChaosRun.Result killed = result(Optional.of(plan), false, List.of(recovered, lost), evidence(200, 198, 201,
                StepLogs.read(store("run", Map.of("job/run/kd", List.of(step(0, 2.75))))), Map.of(
                        "student/9/abc/test", 2, "teacher/0/def/test", 1)));

        assertThat(ChaosMatrix.checks(killed, reference)).containsExactly(
                Map.entry("completes", "sampler did not recover"),
                Map.entry("every kill recovered", "killed 2 of 3 times (the job stopped before the next kill point)"),
                Map.entry("pt count exact", "198 distinct PT records on the topic, 200 expected; 201 PT records trained,"
                        + " 200 expected (test)"),
                Map.entry("losses equal the uninterrupted run's (1e-5 relative)", "1 difference(s), first"
                        + " job/run/kd/steps.jsonl: step 0 loss 2.75 vs 2.5 uninterrupted"),
                Map.entry("each checkpoint reported once", "student/9/abc/test reported 2 times"));
        assertThat(ChaosMatrix.checks(reference, reference)).containsOnlyKeys("completes", "every kill recovered",
                "pt count exact", "losses equal the uninterrupted run's (1e-5 relative)", "each checkpoint reported once")
                .allSatisfy((check, failure) -> assertThat(failure).as(check).isEmpty());
        List<String> table = ChaosTable.lines(List.of(new ChaosMatrix.Row(reference, ChaosMatrix.referenceChecks(
                reference), Optional.empty()), new ChaosMatrix.Row(killed, ChaosMatrix.checks(killed, reference),
                Optional.of(ChaosMatrix.losses(killed, reference)))), 3);
        assertThat(table).hasSize(3);
        assertThat(table.get(1)).startsWith("none (reference)").contains("200 / 200").endsWith("ok");
        assertThat(table.get(2)).startsWith("sampler").contains("9.0 / 9.0 s").contains("200 / 201")
                .contains(" 1 (0) ").contains(" 1.0e-01 ")
                .endsWith("FAILED: completes, every kill recovered, pt count exact, losses equal the uninterrupted"
                        + " run's (1e-5 relative), each checkpoint reported once");
    }

    private static ChaosRun.Result result(Optional<KillPlan> plan, boolean completed, List<ChaosRun.Kill> kills,
            ChaosRun.Evidence evidence) {
        return new ChaosRun.Result(plan.map(KillPlan::victim), plan, completed,
                completed ? Optional.empty() : Optional.of("sampler did not recover"), Duration.ofSeconds(60),
                Duration.ofSeconds(90), kills, evidence, Path.of("runs"), List.of());
    }

    private static ChaosRun.Evidence evidence(long expected, long onTopic, long trained, StepLogs steps,
            Map<String, Integer> reports) {
        return new ChaosRun.Evidence(expected, onTopic, 0, OptionalLong.of(trained), "test", OptionalLong.of(0),
                OptionalLong.empty(), reports, steps, Map.of(), List.of());
    }

    private Path store(String name, Map<String, List<String>> logs) throws IOException {
        Path store = dir.resolve(name);
        for (Map.Entry<String, List<String>> log : logs.entrySet()) {
            Path file = store.resolve(log.getKey()).resolve("steps.jsonl");
            Files.createDirectories(file.getParent());
            Files.write(file, log.getValue());
        }
        return store;
    }

    private static String step(long step, double loss) {
        return "{\"step\":" + step + ",\"loss\":" + loss + ",\"learning_rate\":5.0E-4,\"gradient_norm\":1.0}";
    }
}
