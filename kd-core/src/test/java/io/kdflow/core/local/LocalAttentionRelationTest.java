package io.kdflow.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attention-relation KD in the local runner: its loss scales are sized before the first step (on the KD phase's
 * first batches, in inference mode), kept in the resume state, and an interrupted + resumed run has the losses
 * of an uninterrupted one.
 */
class LocalAttentionRelationTest {

    /** Two KD epochs of 7 batches, checkpoints every 2 steps, no final fine-tune. */
    private static final String OPTIMIZATION = """
            epochs: 2
            batch_size: 4
            learning_rate: 1e-3
            warmup_steps: 2
            checkpoint_every_steps: 2
            final_finetune_epochs: 0
            """;

    @TempDir
    static Path temp;

    private static int threadsBefore;
    private static JobSpec spec;

    @BeforeAll
    static void prepare() {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        // 6 scale batches: more than the 4 steps before the first checkpoint, fewer than an epoch's 7 batches
        spec = TinyJob.spec(TinyJob.prepare(temp.resolve("job")), TinyJob.yaml(OPTIMIZATION, "")
                .replace("type: logit_kd", "type: attention_relation\n  scale_batches: 6")
                .replace("name: tiny", "name: tiny-relations"));
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldCalibrateTheScalesBeforeTrainingAndResumeToTheLossesOfAnUninterruptedRun() throws Exception {
        Path cache = temp.resolve("cache"); // PTs and the CE baseline are shared by both runs
        LocalResult uninterrupted = new LocalDistillation(spec, LocalOptions.of(cache).withRunDir(temp.resolve("a")),
                LocalProgress.NONE).run();
        LocalOptions options = LocalOptions.of(cache).withRunDir(temp.resolve("c"));

        assertThatThrownBy(() -> new LocalDistillation(spec, options.stoppingAfter("kd", 5), LocalProgress.NONE).run())
                .isInstanceOf(LocalInterruption.class);
        JsonNode state = new ObjectMapper().readTree(temp.resolve("c/kd/last/training_state.json").toFile())
                .path("objective_state");
        assertThat(state.path("observed").asInt()).as("all 6 scale batches seen before step 1, not one per step")
                .isEqualTo(6);
        assertThat(state.path("scale_batches").asInt()).isEqualTo(6);
        assertThat(state.path("terms")).hasSize(10);
        assertThat(state.path("terms").get(0).asText()).isEqualTo("logits");
        assertThat(state.path("sums")).hasSize(10).allMatch(sum -> sum.asDouble() >= 0);
        assertThat(state.path("sums").get(0).asDouble()).as("the logit KD of the pruned student").isPositive();

        LocalResult resumed = new LocalDistillation(spec, options, LocalProgress.NONE).run();

        assertThat(StepLog.losses(temp.resolve("c/kd/steps.jsonl")))
                .isEqualTo(StepLog.losses(temp.resolve("a/kd/steps.jsonl"))).hasSize(14);
        assertThat(resumed.kd().evaluations()).isEqualTo(uninterrupted.kd().evaluations());
        assertThat(resumed.role(Role.KD_STUDENT).test()).isEqualTo(uninterrupted.role(Role.KD_STUDENT).test());
    }
}
