package io.kdflow.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code objective.teacher_logits: records}: the KD phase reads the teacher from the PT records' sparse
 * distributions (GOLD records for the gold pairs, TEACHER records for the PTs), as the streaming trainer does.
 * With distribution_top_k = the vocabulary (bart-tiny: 600) its losses are the dense teacher's.
 */
class LocalTeacherLogitsTest {

    /**
     * fp32 records at k = vocabulary: the same distributions up to float rounding (the PT pass and the training
     * pass batch and pad differently); seen: at most 8e-7 on losses near 3.5, i.e. a few float32 ulps.
     */
    private static final double FP32_TOLERANCE = 1e-5;
    /** fp16 log-probs (relative rounding 2^-11 each, mostly cancelling in the KL); seen: at most 1e-5. */
    private static final double FP16_TOLERANCE = 1e-4;

    /** One KD epoch of 7 batches, no final fine-tune. */
    private static final String OPTIMIZATION = """
            epochs: 1
            batch_size: 4
            learning_rate: 1e-3
            warmup_steps: 2
            checkpoint_every_steps: 2
            final_finetune_epochs: 0
            """;

    @TempDir
    static Path temp;

    private static int threadsBefore;
    private static Path folder;
    private static LocalResult denseRun;
    private static List<Double> dense;

    @BeforeAll
    static void runDense() {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        folder = TinyJob.prepare(temp.resolve("job"));
        denseRun = run(yaml("dense", "fp32"), "dense");
        dense = StepLog.losses(temp.resolve("dense/kd/steps.jsonl"));
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    private static String yaml(String logits, String quantization) {
        return TinyJob.yaml(OPTIMIZATION, "").replace("distribution_top_k: 8", "distribution_top_k: 600\n  quantization: "
                + quantization).replace("type: logit_kd", "type: logit_kd\n  teacher_logits: " + logits);
    }

    private static LocalResult run(String yaml, String name) {
        return new LocalDistillation(TinyJob.spec(folder, yaml), LocalOptions.of(temp.resolve("cache"))
                .withRunDir(temp.resolve(name)), LocalProgress.NONE).run();
    }

    @Test
    void shouldTrainOnFp32RecordsAtFullTopKWithTheDenseLosses() {
        LocalResult records = run(yaml("records", "fp32"), "records-fp32");

        assertThat(records.pseudoTargets().orElseThrow().reused()).as("the dense run's PT file").isTrue();
        List<Double> losses = StepLog.losses(temp.resolve("records-fp32/kd/steps.jsonl"));
        assertThat(losses).hasSize(7).isNotEqualTo(dense);
        for (int i = 0; i < losses.size(); i++) {
            assertThat(losses.get(i)).as("step %d", i + 1).isCloseTo(dense.get(i),
                    offset(FP32_TOLERANCE));
        }
    }

    @Test
    void shouldTrainOnFp16RecordsWithinTheirRounding() {
        LocalResult records = run(yaml("records", "fp16"), "records-fp16");

        List<PseudoTarget> fp16 = PseudoTargetFile.readAll(Path.of(records.pseudoTargets().orElseThrow().file()));
        List<PseudoTarget> fp32 = PseudoTargetFile.readAll(Path.of(denseRun.pseudoTargets().orElseThrow().file()));
        assertThat(fp16).extracting(PseudoTarget::getTokenIdsList).as("the same PTs, only stored coarser")
                .isEqualTo(fp32.stream().map(PseudoTarget::getTokenIdsList).toList());
        List<Double> losses = StepLog.losses(temp.resolve("records-fp16/kd/steps.jsonl"));
        assertThat(losses).hasSize(7);
        for (int i = 0; i < losses.size(); i++) {
            assertThat(losses.get(i)).as("step %d", i + 1).isCloseTo(dense.get(i),
                    offset(FP16_TOLERANCE));
        }
    }

    @Test
    void shouldRefuseRecordsWithoutTheGoldPairsDistributions() {
        String yaml = yaml("records", "fp32").replace("  unlabeled: true", "  unlabeled: true\n  labeled: false");

        assertThatThrownBy(() -> run(yaml, "records-unlabeled-only")).isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.training.objective_settings.teacher_logits: RECORDS needs the teacher's"
                        + " distribution of every training example, which the PT records carry: set"
                        + " pseudo_targets.k >= 1 and pseudo_targets.labeled: true (the GOLD records then carry the"
                        + " gold targets' distributions), or use teacher_logits: dense");
    }
}
