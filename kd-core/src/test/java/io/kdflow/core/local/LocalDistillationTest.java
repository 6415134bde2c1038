package io.kdflow.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole local distillation of a tiny job on bart-tiny: every phase's output, with libtorch on one thread. */
class LocalDistillationTest {

    @TempDir
    static Path temp;

    private static int threadsBefore;
    private static Path folder;
    private static LocalResult result;

    @BeforeAll
    static void run() {
        Engine.getInstance(); // loads libtorch before its thread setting is read
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        folder = TinyJob.prepare(temp.resolve("job"));
        result = new LocalDistillation(TinyJob.spec(folder, TinyJob.yaml(TinyJob.OPTIMIZATION, "")),
                LocalOptions.of(temp.resolve("cache")).withRunDir(temp.resolve("run")), LocalProgress.NONE).run();
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldWriteKPseudoTargetsPerInputAndAGoldRecordPerPair() {
        PtOutcome pts = result.pseudoTargets().orElseThrow();
        List<PseudoTarget> records = PseudoTargetFile.readAll(Path.of(pts.file()));
        long teacher = records.stream().filter(r -> r.getKind() == PseudoTarget.Kind.TEACHER).count();
        assertThat(teacher).as("K x (12 labeled + 4 unlabeled) inputs").isEqualTo(2 * 16).isEqualTo(pts.teacherRecords());
        assertThat(records.stream().filter(r -> r.getKind() == PseudoTarget.Kind.GOLD).count()).isEqualTo(12);
        assertThat(records.stream().filter(r -> r.getSplit() == Split.UNLABELED).count()).isEqualTo(2 * 4);
        assertThat(pts.file()).startsWith(temp.resolve("cache").resolve("pts").toString());
    }

    @Test
    void shouldEvaluateTwicePerEpochAndKeepTheBestDevCheckpointWithItsProvenance() throws Exception {
        PhaseOutcome kd = result.kd();
        // epoch plan: 12 gold + 16 PT inputs = 28 examples, 7 batches of 4 per epoch; evaluations at 4, 7, 11, 14
        assertThat(kd.evaluations()).extracting(DevPoint::step).containsExactly(4L, 7L, 11L, 14L);
        assertThat(kd.evaluations()).extracting(DevPoint::epoch).containsExactly(1, 1, 2, 2);
        DevPoint lowestNll = kd.evaluations().stream()
                .min(Comparator.comparingDouble((DevPoint p) -> p.metrics().get(MetricNames.NLL))
                        .thenComparingLong(DevPoint::step)).orElseThrow();
        assertThat(kd.best()).isEqualTo(lowestNll);
        assertThat(kd.bestDir()).isEqualTo(temp.resolve("run/kd/best").toString());
        JsonNode provenance = new ObjectMapper().readTree(temp.resolve("run/kd/best/provenance.json").toFile());
        assertThat(provenance.path("step").asLong()).isEqualTo(lowestNll.step());
        assertThat(provenance.path("epoch").asInt()).isEqualTo(lowestNll.epoch());
        assertThat(provenance.path("seed").asLong()).isEqualTo(7);
        assertThat(provenance.path("job_hash").asText()).isEqualTo(result.jobHash()).hasSize(64);
        assertThat(provenance.path("dev_metrics").path("nll").asDouble()).isEqualTo(lowestNll.metrics().get("nll"));
        assertThat(provenance.path("data_position").path("seed").asLong()).isEqualTo(7);
        assertThat(temp.resolve("run/kd/best/model.safetensors")).isRegularFile();
        assertThat(temp.resolve("run/kd/best/tokenizer.json")).isRegularFile();
        assertThat(StepLog.losses(temp.resolve("run/kd/steps.jsonl"))).hasSize(14);
        assertThat(temp.resolve("run/kd/last")).as("a finished phase keeps no resume state").doesNotExist();
    }

    @Test
    void shouldStartTheFinalFineTuneFromTheBestKdCheckpoint() throws Exception {
        PhaseOutcome fineTune = result.finalFineTune().orElseThrow();
        long from = result.kd().best().step();
        // one gold epoch: 12 pairs, 3 steps of 4, evaluated after steps 2 and 3 of the phase
        assertThat(fineTune.evaluations()).extracting(DevPoint::step).containsExactly(from + 2, from + 3);
        JsonNode first = new ObjectMapper().readTree(
                Files.readAllLines(temp.resolve("run/final-fine-tune/steps.jsonl")).get(0));
        assertThat(first.path("step").asLong()).as("the schedule continues at the KD checkpoint's step").isEqualTo(from);
        boolean improved = fineTune.evaluations().stream()
                .anyMatch(p -> p.metrics().get("nll") < result.kd().best().metrics().get("nll"));
        assertThat(fineTune.bestDir()).isEqualTo(improved ? temp.resolve("run/final-fine-tune/best").toString()
                : result.kd().bestDir());
        if (improved) {
            JsonNode provenance = new ObjectMapper().readTree(
                    temp.resolve("run/final-fine-tune/best/provenance.json").toFile());
            assertThat(provenance.path("started_from").asText()).isEqualTo(result.kd().bestDir());
        }
    }

    @Test
    void shouldReuseTheCachedPseudoTargetsAndBaselineInAnotherKdJobOnTheSameTeacher() {
        String otherObjective = TinyJob.yaml(TinyJob.OPTIMIZATION, "").replace("type: logit_kd", "type: reverse_kd")
                .replace("name: tiny", "name: tiny-reverse");
        LocalResult other = new LocalDistillation(TinyJob.spec(folder, otherObjective),
                LocalOptions.of(temp.resolve("cache")).withRunDir(temp.resolve("run-reverse")), LocalProgress.NONE)
                .run();

        assertThat(other.pseudoTargets().orElseThrow().reused()).isTrue();
        assertThat(other.pseudoTargets().orElseThrow().file()).isEqualTo(result.pseudoTargets().orElseThrow().file());
        assertThat(other.baseline().reused()).isTrue();
        assertThat(other.baseline()).isEqualTo(result.baseline().asReused());
        assertThat(other.kd().reused()).isFalse();
        assertThat(other.phaseSeconds()).containsEntry("baseline", 0.0).containsEntry("pseudo_targets", 0.0);
        assertThat(StepLog.losses(temp.resolve("run-reverse/kd/steps.jsonl")))
                .as("another objective, other losses").hasSize(14)
                .isNotEqualTo(StepLog.losses(temp.resolve("run/kd/steps.jsonl")));
    }

    @Test
    void shouldReportEveryRoleOnTestWithTheGapClosed() throws Exception {
        assertThat(result.roles()).extracting(RoleResult::role)
                .containsExactly(Role.COPY_BASELINE, Role.TEACHER, Role.CE_BASELINE, Role.KD_STUDENT);
        RoleResult teacher = result.role(Role.TEACHER);
        RoleResult student = result.role(Role.KD_STUDENT);
        assertThat(teacher.test()).containsKeys("bleu", "rouge", "chrf", "nll", "params");
        assertThat(student.test().get("params")).as("two of four decoder layers").isLessThan(teacher.test().get("params"));
        assertThat(result.role(Role.CE_BASELINE).test().get("params")).isEqualTo(student.test().get("params"));
        assertThat(result.role(Role.COPY_BASELINE).test()).containsKeys("bleu", "chrf").doesNotContainKey("nll");
        assertThat(student.dev()).isEqualTo(result.finalFineTune().orElseThrow().best().metrics());
        assertThat(result.role(Role.CE_BASELINE).dev()).isEqualTo(result.baseline().best().metrics());
        double expectedGap = 100 * (student.test().get("nll") - result.role(Role.CE_BASELINE).test().get("nll"))
                / (teacher.test().get("nll") - result.role(Role.CE_BASELINE).test().get("nll"));
        assertThat(result.gapClosedTest().get("gap_closed_nll")).isEqualTo(expectedGap);
        JsonNode json = new ObjectMapper().readTree(temp.resolve("run/results.json").toFile());
        assertThat(json.path("roles")).hasSize(4);
        assertThat(json.path("kd").path("evaluations")).hasSize(4);
        assertThat(json.path("phase_seconds").has("kd")).isTrue();
        assertThat(result.baseline().bestDir()).startsWith(temp.resolve("cache/baselines").toString());
    }
}
