package io.kdflow.core.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kdflow.core.local.DevPoint;
import io.kdflow.core.local.LocalResult;
import io.kdflow.core.local.PhaseOutcome;
import io.kdflow.core.local.ResultsFile;
import io.kdflow.core.local.Role;
import io.kdflow.core.local.RoleResult;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaining and reuse through the study's real planner and run store: each run writes a real {@code results.json}
 * (the local runner's writer) whose scores are set per option, so the test knows which option each stage must
 * choose, which later option is then the same job (reused, not run) and what the carried keys make of the jobs.
 */
class StudyChainTest {

    @TempDir
    static Path temp;

    /** Student quality per option: S1/S2 move the CE student, S3+ the KD student. */
    private static final Map<String, Double> QUALITY = Map.ofEntries(
            Map.entry("S1/encoder_decoder", 1.0), Map.entry("S1/decoder_only", 2.0),
            Map.entry("S2/encoder_pruning", 2.0), Map.entry("S2/decoder_pruning", 1.0),
            Map.entry("S3/fine_tuning", 0.0), Map.entry("S3/logit_kd", 2.0), Map.entry("S3/noisy_kd", 3.0),
            Map.entry("S3/attention_relation", 1.0),
            Map.entry("S4/finetune_single_pt", 1.0), Map.entry("S4/logit_kd_single_pt", 2.5),
            Map.entry("S5/labeled_unlabeled", 4.0));

    private static final List<String> EXECUTED = new ArrayList<>();
    private static final List<PlannedRun> PLANNED = new ArrayList<>();
    private static List<StageResult> results;

    @BeforeAll
    static void run() {
        StudyTask task = StudyTask.read(StudyFixture.taskFile(temp.resolve("task")));
        RunStore store = new RunStore(temp.resolve("runs"));
        results = new Study(task, StudyProfile.named("quick"), store, StudyChainTest::scripted, new StudyProgress() {
            @Override
            public void onRun(PlannedRun run, int index, int total, boolean reused, double secondsPerRun, double eta) {
                PLANNED.add(run);
            }
        }).run(Stage.parse("S1..S5"));
    }

    @Test
    void shouldChooseTheBestDevOptionOfEachStage() {
        assertThat(results).extracting(StageResult::chosen).containsExactly("decoder_only", "encoder_pruning",
                "noisy_kd", "logit_kd_single_pt", "labeled_unlabeled",
                // not selected: the paper's choices carry
                "multiple", "sampling", "joint_teaching");
        assertThat(results.get(6).notRun()).contains("not selected (--stages)");
    }

    @Test
    void shouldNotChooseAReferenceRowEvenWhenItScoresBest() {
        StageResult s4 = results.get(3);
        OptionResult noPts = s4.option("no_pts").orElseThrow();
        assertThat(noPts.devGap().orElseThrow()).isGreaterThan(s4.option("logit_kd_single_pt").orElseThrow()
                .devGap().orElseThrow());
        assertThat(s4.chosen()).isEqualTo("logit_kd_single_pt");
    }

    @Test
    void shouldCarryTheChosenKeysIntoLaterJobsButNotS1sOwn() {
        PlannedRun s3 = results.get(2).option("logit_kd").orElseThrow().run();
        assertThat(s3.spec().getStudent().getSource()).as("S1 chose decoder-only, which carries nothing")
                .isEqualTo(StudentSpec.Source.PRUNED_TEACHER);
        assertThat(s3.spec().getStudent().getKeepEncoderLayersList()).as("S2's encoder pruning").containsExactly(0, -1);
        assertThat(s3.spec().getStudent().getKeepDecoderLayersList()).isEmpty();
        PlannedRun s5 = results.get(4).option("labeled_unlabeled").orElseThrow().run();
        assertThat(s5.spec().getTraining().getObjective()).as("S4's logit KD replaced S3's noisy KD")
                .isEqualTo(TrainingSpec.Objective.LOGITS_KD);
        assertThat(s5.spec().getPseudoTargets().getNumPseudoTargets()).isEqualTo(1);
        assertThat(s5.spec().getPseudoTargets().getIncludeUnlabeled()).isTrue();
        assertThat(s5.spec().getTaskSpec().getMaxTrainExamples()).as("the profile's size").isEqualTo(100);
    }

    @Test
    void shouldRunAJobOnceWhenALaterOptionIsTheSameJob() {
        PlannedRun noisy = results.get(2).option("noisy_kd").orElseThrow().run();
        OptionResult noPts = results.get(3).option("no_pts").orElseThrow();
        assertThat(noPts.run().hash()).isEqualTo(noisy.hash());
        assertThat(noPts.reused()).isTrue();
        assertThat(noPts.dev().get("bleu")).isEqualTo(15.0 + 3.0);
        OptionResult labeled = results.get(4).option("labeled").orElseThrow();
        assertThat(labeled.run().hash()).isEqualTo(results.get(3).option("logit_kd_single_pt").orElseThrow().run().hash());
        assertThat(EXECUTED).doesNotContain("S4/no_pts", "S5/labeled").hasSize(2 + 2 + 4 + 2 + 1);
        assertThat(PLANNED).hasSize(2 + 2 + 4 + 3 + 2);
    }

    @Test
    void shouldScoreGapClosedAndWinsOfTheStageFromTheRunsFiles() {
        StageResult s3 = results.get(2);
        // KD student (15 + q, 38 + q, 3.4 - 0.1 q) vs S (15, 38, 3.4) and T (17, 40, 3.2): every metric closes q / 2
        assertThat(s3.option("noisy_kd").orElseThrow().devGap().orElseThrow()).isCloseTo(150.0, within(1e-9));
        assertThat(s3.option("fine_tuning").orElseThrow().devGap().orElseThrow()).isCloseTo(0.0, within(1e-9));
        assertThat(s3.options()).extracting(OptionResult::devWins).containsExactly(0, 0, 3, 0);
        assertThat(results.get(0).options()).extracting(o -> o.devGap().isPresent()).containsOnly(false);
        assertThat(results.get(1).option("encoder_pruning").orElseThrow().dev().get("bleu")).isEqualTo(17.0);
    }

    /** A run that writes the local runner's results file with the scripted scores of its option. */
    private static void scripted(PlannedRun run, Path dir) {
        EXECUTED.add(run.label());
        double q = QUALITY.getOrDefault(run.label(), 0.0);
        boolean distills = run.stage().distills();
        Map<String, Double> teacher = scores(2.0);
        Map<String, Double> ce = scores(distills ? 0.0 : q);
        Map<String, Double> kd = scores(distills ? q : 0.0);
        PhaseOutcome phase = new PhaseOutcome("kd", 1, new DevPoint(1, 1, 1, 0, kd), dir.toString(), List.of(),
                false, 1.0, false);
        List<RoleResult> roles = List.of(new RoleResult(Role.COPY_BASELINE, "", 0, scores(-1), scores(-1)),
                new RoleResult(Role.TEACHER, "teacher", 0, teacher, teacher),
                new RoleResult(Role.CE_BASELINE, "ce", 1, ce, ce), new RoleResult(Role.KD_STUDENT, "kd", 1, kd, kd));
        ResultsFile.write(new LocalResult("tiny", run.hash(), dir.toString(), "teacher", "bleu", Optional.empty(),
                Map.of("kd", 1.0), phase, phase, Optional.empty(), roles, Map.of(), Map.of()), dir.resolve("results.json"));
    }

    private static Map<String, Double> scores(double q) {
        return Map.of("bleu", 15.0 + q, "rouge", 38.0 + q, "nll", 3.4 - 0.1 * q);
    }
}
