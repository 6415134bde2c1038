package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.pt.EpochPlan;
import io.kdflow.core.pt.PseudoTargetGenerator;
import io.kdflow.core.pt.PtDecoding;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.pt.PtProgress;
import io.kdflow.core.pt.PtSettings;
import io.kdflow.core.train.CrossEntropyObjective;
import io.kdflow.core.train.EpochBatches;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequence-level KD: the teacher's PTs (generated in the process, K = 2 sampled per input, distributions over
 * the whole vocabulary) rotated by the {@link EpochPlan}, batched by its {@link EpochBatches}, trained with
 * cross-entropy or with logit KD on the PT's positions, the teacher either in the process or in the records.
 */
class PseudoTargetBatchesTest {

    private static final List<PtInput> INPUTS = List.of(
            PtInput.labeled("a", "Good morrow to you, my lord.", "Hello, sir."),
            PtInput.labeled("b", "What news on the Rialto?", "What is new in town?"),
            PtInput.unlabeled("u", "Wherefore art thou Romeo?"));

    @TempDir
    static Path temp;

    private static ObjectiveFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = new ObjectiveFixture(temp);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void shouldTrainOnTheEpochsPtsWithCrossEntropyOrLogitKd() throws Exception {
        PtSettings settings = new PtSettings("job-1", "bart-tiny@fixture", PtDecoding.SAMPLING, 2, 2, 32, 12, 600,
                Quantization.FP32, 3, 42L);
        List<PseudoTarget> records = new ArrayList<>();
        new PseudoTargetGenerator(fixture.teacher, fixture.tokenizer,
                GenerationConfig.readOrDefault(fixture.dir, fixture.teacher.config()), settings)
                .run(INPUTS, records::add, PtProgress.NONE);
        EpochPlan plan = EpochPlan.of(records, new EpochPlan.Options(2, EpochPlan.Content.GOLD_AND_PTS, true, 7L));
        EpochBatches batches = plan.batches(5, 2);
        TokenDivergence kd = TokenDivergence.logitKd(1);
        DenseKdObjective dense = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), kd);
        SparseKdObjective sparse = new SparseKdObjective(fixture.student, kd);
        CrossEntropyObjective crossEntropy = new CrossEntropyObjective(fixture.student);

        for (int epoch = 0; epoch < 2; epoch++) {
            List<TrainingExample> examples = batches.next().orElseThrow();
            int ptIndex = plan.ptIndexOf(epoch);
            assertThat(examples).hasSize(5);
            assertThat(examples.stream().filter(e -> e.kind() == PseudoTarget.Kind.TEACHER))
                    .hasSize(3).allSatisfy(e -> assertThat(e.ptIndex()).isEqualTo(ptIndex));
            TrainingBatch batch = fixture.encoder.apply(examples);
            for (int row = 0; row < examples.size(); row++) {
                long[] labels = Arrays.stream(batch.pairs().labels()[row]).filter(id -> id != PairBatch.IGNORED)
                        .toArray();
                assertThat(labels).as("labels are the record's ids").containsExactly(examples.get(row).targetIds());
            }
            try (NDManager manager = fixture.manager.newSubManager()) {
                double denseLoss = dense.loss(manager, batch, epoch).getFloat();
                double sparseLoss = sparse.loss(manager, batch, epoch).getFloat();
                double ce = crossEntropy.loss(manager, batch, epoch).getFloat();

                assertThat(sparseLoss).as("records at k = V give the in-process loss").isCloseTo(denseLoss,
                        within(1e-5));
                assertThat(denseLoss).isPositive();
                assertThat(ce).isPositive().isNotCloseTo(denseLoss, within(1e-3));
            }
        }
        assertThat(batches.next()).isEmpty();
    }
}
