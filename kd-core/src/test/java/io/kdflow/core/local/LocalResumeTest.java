package io.kdflow.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Determinism and resume of a whole local distillation on one thread: the same job and seed twice give the
 * same losses bit for bit, and a run stopped inside the KD phase (between checkpoints) and then rerun gives the
 * losses of the uninterrupted run.
 */
class LocalResumeTest {

    @TempDir
    static Path temp;

    private static int threadsBefore;
    private static JobSpec spec;
    private static LocalResult uninterrupted;

    @BeforeAll
    static void runOnce() {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        spec = TinyJob.spec(TinyJob.prepare(temp.resolve("job")), TinyJob.yaml(TinyJob.OPTIMIZATION, ""));
        uninterrupted = run("a", LocalOptions.of(temp.resolve("a/cache")).withRunDir(temp.resolve("a/run")));
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldRepeatEveryLossBitForBitWithTheSameJobAndSeed() {
        LocalResult again = run("b", LocalOptions.of(temp.resolve("b/cache")).withRunDir(temp.resolve("b/run")));
        assertThat(losses("b/cache", again.baseline())).isEqualTo(losses("a/cache", uninterrupted.baseline()));
        assertThat(StepLog.losses(temp.resolve("b/run/kd/steps.jsonl")))
                .isEqualTo(StepLog.losses(temp.resolve("a/run/kd/steps.jsonl"))).hasSize(14);
        assertThat(StepLog.losses(temp.resolve("b/run/final-fine-tune/steps.jsonl")))
                .isEqualTo(StepLog.losses(temp.resolve("a/run/final-fine-tune/steps.jsonl")));
        assertThat(again.kd().evaluations()).isEqualTo(uninterrupted.kd().evaluations());
        assertThat(again.role(Role.KD_STUDENT).test()).isEqualTo(uninterrupted.role(Role.KD_STUDENT).test());
    }

    @Test
    void shouldResumeAnInterruptedKdPhaseToTheLossesOfAnUninterruptedRun() {
        LocalOptions options = LocalOptions.of(temp.resolve("c/cache")).withRunDir(temp.resolve("c/run"));
        // checkpoints every 2 steps and dev evaluations after step 4: stopping at 5 loses step 5 (resumed from 4)
        assertThatThrownBy(() -> run("c", options.stoppingAfter("kd", 5)))
                .isInstanceOf(LocalInterruption.class).hasMessage("stopped kd after 5 optimizer steps, as asked");
        assertThat(temp.resolve("c/run/kd/done.json")).doesNotExist();
        assertThat(temp.resolve("c/run/kd/last/optimizer.safetensors")).isRegularFile();
        assertThat(StepLog.losses(temp.resolve("c/run/kd/steps.jsonl"))).hasSize(5);

        LocalResult resumed = run("c", options);
        assertThat(resumed.baseline().reused()).as("the baseline finished before the interruption").isTrue();
        assertThat(resumed.kd().reused()).isFalse();
        assertThat(StepLog.losses(temp.resolve("c/run/kd/steps.jsonl")))
                .isEqualTo(StepLog.losses(temp.resolve("a/run/kd/steps.jsonl")));
        assertThat(resumed.kd().evaluations()).isEqualTo(uninterrupted.kd().evaluations());
        assertThat(StepLog.losses(temp.resolve("c/run/final-fine-tune/steps.jsonl")))
                .isEqualTo(StepLog.losses(temp.resolve("a/run/final-fine-tune/steps.jsonl")));

        LocalResult rerun = run("c", options);
        assertThat(List.of(rerun.baseline().reused(), rerun.kd().reused(), rerun.finalFineTune().get().reused()))
                .as("a finished job reruns nothing").containsOnly(true);
        assertThat(rerun.roles()).isEqualTo(resumed.roles());
    }

    private static List<Double> losses(String cache, PhaseOutcome baseline) {
        return StepLog.losses(Path.of(baseline.bestDir()).getParent().resolve(StepLog.FILE));
    }

    private static LocalResult run(String name, LocalOptions options) {
        return new LocalDistillation(spec, options, LocalProgress.NONE).run();
    }
}
