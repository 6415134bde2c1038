package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.distill.GeneralizedJsd;
import io.kdflow.core.distill.LogitKd;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.SparseDistribution;
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
 * The KD objectives on bart-tiny (teacher) and its decoder-pruned copy (student): dense logit KD against the
 * loss computed from the two models' logits, sparse = dense at k = vocabulary, reverse KL and generalized JSD,
 * noisy KD's teacher dropout.
 */
class KdObjectivesTest {

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
    void shouldComputeLogitKdFromTheEvalTeacherAndTheTrainingStudentWithTauSquared() {
        TrainingBatch batch = fixture.batch();
        for (double tau : new double[] {1, 2}) {
            DenseKdObjective objective = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher),
                    TokenDivergence.logitKd(tau));
            try (NDManager manager = fixture.manager.newSubManager()) {
                double loss = objective.loss(manager, batch, 0).getFloat();
                double again = objective.loss(manager, batch, 1).getFloat();
                NDArray teacherLogits = ObjectiveFixture.logits(manager, fixture.teacher, batch.pairs(),
                        RunMode.INFERENCE);
                NDArray studentLogits = ObjectiveFixture.logits(manager, fixture.student, batch.pairs(),
                        RunMode.TRAINING);
                double expected = new LogitKd(tau).dense(studentLogits, teacherLogits,
                        ObjectiveFixture.mask(manager, batch.pairs())).getFloat();

                // the objective runs at the counted positions only, the reference over (B, T, V): float rounding apart
                assertThat(loss).as("tau %s", tau).isCloseTo(expected, within(2e-6)).isPositive();
                assertThat(again).as("the eval teacher is deterministic").isEqualTo(loss);
            }
        }
        assertThat(new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher),
                TokenDivergence.logitKd(1)).name()).isEqualTo("logit-kd(tau=1.0)");
    }

    @Test
    void shouldGiveZeroWhenTheStudentIsTheTeacher() {
        DenseKdObjective objective = new DenseKdObjective(fixture.teacher, TeacherPass.eval(fixture.teacher),
                TokenDivergence.logitKd(1));
        try (NDManager manager = fixture.manager.newSubManager()) {
            assertThat(objective.loss(manager, fixture.batch(), 0).getFloat()).isCloseTo(0f, within(1e-6f));
        }
    }

    @Test
    void shouldPassGradientsToTheStudentOnlyWithoutAGoldCrossEntropyTerm() {
        DenseKdObjective objective = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher),
                TokenDivergence.logitKd(1));
        Parameter studentWeight = fixture.student.parameters().get(0);
        studentWeight.array().setRequiresGradient(true);
        try (NDManager manager = fixture.manager.newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
            NDArray loss = objective.loss(manager, fixture.batch(), 0);
            Autograd.backward(loss);
            assertThat(studentWeight.array().getGradient().abs().sum().getFloat()).isPositive();
            assertThat(fixture.teacher.parameters()).noneMatch(p -> p.array().hasGradient());
        } finally {
            Autograd.zeroGradient(studentWeight.array());
            studentWeight.array().setRequiresGradient(false);
        }
    }

    @Test
    void shouldEqualTheDenseObjectiveFromRecordsWithTheFullVocabulary() {
        TrainingBatch dense = fixture.batch();
        TrainingBatch sparse = withTeacherRecords(dense, 600);
        List<TokenDivergence> divergences = List.of(TokenDivergence.logitKd(1), TokenDivergence.logitKd(2),
                TokenDivergence.reverseKl(1), TokenDivergence.generalizedJsd(0.5, 1));
        for (TokenDivergence d : divergences) {
            try (NDManager manager = fixture.manager.newSubManager()) {
                double denseLoss = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), d)
                        .loss(manager, dense, 0).getFloat();
                double sparseLoss = new SparseKdObjective(fixture.student, d).loss(manager, sparse, 0).getFloat();

                assertThat(sparseLoss).as(d.name()).isCloseTo(denseLoss, within(1e-5)).isPositive();
            }
        }
        try (NDManager manager = fixture.manager.newSubManager()) {
            TokenDivergence kd = TokenDivergence.logitKd(1);
            double denseLoss = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), kd)
                    .loss(manager, dense, 0).getFloat();
            double top5 = new SparseKdObjective(fixture.student, kd).loss(manager, withTeacherRecords(dense, 5), 0)
                    .getFloat();
            assertThat(top5).as("coarsening loses divergence").isLessThan(denseLoss).isPositive();
        }
    }

    @Test
    void shouldNameAnExampleWithoutATeacherDistribution() {
        SparseKdObjective objective = new SparseKdObjective(fixture.student, TokenDivergence.logitKd(1));
        try (NDManager manager = fixture.manager.newSubManager()) {
            assertThatThrownBy(() -> objective.loss(manager, fixture.batch(), 0))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("example a (GOLD, PT 0): the record carries no teacher distribution; KD from records"
                            + " needs one on every target");
        }
    }

    @Test
    void shouldComputeReverseKlAndGeneralizedJsdLikeTrl() {
        TrainingBatch batch = fixture.batch();
        try (NDManager manager = fixture.manager.newSubManager()) {
            NDArray teacherLogits = ObjectiveFixture.logits(manager, fixture.teacher, batch.pairs(), RunMode.INFERENCE);
            NDArray studentLogits = ObjectiveFixture.logits(manager, fixture.student, batch.pairs(), RunMode.TRAINING);
            NDArray mask = ObjectiveFixture.mask(manager, batch.pairs());
            double forward = GeneralizedJsd.forwardKl(1).dense(studentLogits, teacherLogits, mask).getFloat();
            for (double beta : new double[] {0, 0.5, 1}) {
                TokenDivergence divergence = beta == 1 ? TokenDivergence.reverseKl(1)
                        : TokenDivergence.generalizedJsd(beta, 1);
                double loss = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), divergence)
                        .loss(manager, batch, 0).getFloat();
                double expected = new GeneralizedJsd(beta, 1).dense(studentLogits, teacherLogits, mask).getFloat();

                // packed positions against the (B, T, V) reference: float rounding apart (a few ulps at ~5)
                assertThat(loss).as("beta %s", beta).isCloseTo(expected, within(2e-6)).isPositive();
                if (beta == 1) {
                    assertThat(loss).as("reverse differs from forward").isNotCloseTo(forward, within(1e-4));
                }
            }
        }
        assertThat(TokenDivergence.reverseKl(1).name()).isEqualTo("reverse-kl(tau=1.0)");
        assertThat(TokenDivergence.generalizedJsd(0.5, 2).name()).isEqualTo("generalized-jsd(beta=0.5, tau=2.0)");
    }

    @Test
    void shouldRunTheTeacherWithDropoutForNoisyKdAndLeaveItInEvalAfterwards() {
        TrainingBatch batch = fixture.batch();
        TokenDivergence kd = TokenDivergence.logitKd(1);
        DenseKdObjective eval = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), kd);
        TeacherPass noisyPass = TeacherPass.noisy(fixture.teacher, 0.1);
        DenseKdObjective noisy = new DenseKdObjective(fixture.student, noisyPass, kd);
        DenseKdObjective configRate = new DenseKdObjective(fixture.student, TeacherPass.noisy(fixture.teacher), kd);
        try (NDManager manager = fixture.manager.newSubManager()) {
            double evalLoss = eval.loss(manager, batch, 0).getFloat();
            double first = noisy.loss(manager, batch, 0).getFloat();
            double second = noisy.loss(manager, batch, 0).getFloat();

            assertThat(noisyPass.dropout()).isEqualTo(0.1);
            assertThat(noisy.name()).isEqualTo("noisy-logit-kd(tau=1.0)");
            assertThat(first).as("dropout active: two calls differ").isNotEqualTo(second);
            assertThat(first).isNotEqualTo(evalLoss);
            assertThat((double) eval.loss(manager, batch, 0).getFloat()).as("the teacher is back in eval").isEqualTo(evalLoss);
            // bart-tiny's config has dropout 0.0: its own rate is no noise at all
            assertThat((double) configRate.loss(manager, batch, 0).getFloat()).isEqualTo(evalLoss);
        }
        assertThatThrownBy(() -> TeacherPass.noisy(fixture.teacher, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("noisy KD dropout must be in [0, 1), got 1.0");
    }

    /**
     * The batch's examples as PT-like records: token ids = the batch's labels, the teacher's top-{@code k}
     * distribution at every label position (FP32, exact).
     */
    static TrainingBatch withTeacherRecords(TrainingBatch batch, int k) {
        PairBatch pairs = batch.pairs();
        List<TrainingExample> examples = new ArrayList<>();
        try (NDManager manager = fixture.manager.newSubManager()) {
            float[] logProbs = ObjectiveFixture.logits(manager, fixture.teacher, pairs, RunMode.INFERENCE)
                    .logSoftmax(-1).toFloatArray(); // (B, T, V) flat
            int width = pairs.labels()[0].length;
            for (int b = 0; b < pairs.labels().length; b++) {
                long[] labels = Arrays.stream(pairs.labels()[b]).filter(id -> id != PairBatch.IGNORED).toArray();
                float[][] rows = new float[labels.length][];
                for (int t = 0; t < labels.length; t++) {
                    int from = (b * width + t) * 600;
                    rows[t] = Arrays.copyOfRange(logProbs, from, from + 600);
                }
                PseudoTarget.Builder record = batch.examples().get(b).record().toBuilder()
                        .setKind(PseudoTarget.Kind.TEACHER)
                        .setDistribution(SparseDistribution.fromLogProbs(rows, k).toProto(Quantization.FP32));
                Arrays.stream(pairs.sourceIds(b)).forEach(id -> record.addSourceTokenIds((int) id));
                Arrays.stream(labels).forEach(id -> record.addTokenIds((int) id));
                examples.add(new TrainingExample(record.build()));
            }
        }
        TrainingBatch sparse = fixture.encoder.apply(examples);
        assertThat(sparse.pairs().labels()).isDeepEqualTo(pairs.labels());
        return sparse;
    }
}
