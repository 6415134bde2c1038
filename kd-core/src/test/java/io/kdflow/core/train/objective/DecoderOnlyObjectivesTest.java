package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.pt.PseudoTargetGenerator;
import io.kdflow.core.pt.PtDecoding;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.pt.PtSettings;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.train.CrossEntropyObjective;
import io.kdflow.core.train.ObjectiveSpec;
import io.kdflow.core.train.Objectives;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.train.objective.JointTeachingObjective.StudentTargets;
import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every objective on a decoder-only pair (gpt2-tiny teacher, its first layer as student): the losses see the
 * target positions only, which the tests recompute by hand from unpadded prompt + target rows; sparse KD from a
 * GPT-2 teacher's PT records equals dense KD at k = vocabulary; Joint-Teaching samples continuations of the
 * prompts; noisy KD uses GPT-2's dropout; mixed architectures are refused.
 */
class DecoderOnlyObjectivesTest {

    @TempDir
    static Path temp;

    private static DecoderOnlyFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = new DecoderOnlyFixture(temp);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void shouldComputeCrossEntropyOverTheTargetTokensOnly() {
        TrainingBatch batch = fixture.batch();
        try (NDManager manager = fixture.manager.newSubManager()) {
            double loss = new CrossEntropyObjective(fixture.student).loss(manager, batch, 0).getFloat();

            float[] logits = DecoderOnlyFixture.targetLogits(manager, fixture.student, batch.pairs(),
                    RunMode.INFERENCE).toFloatArray(); // (B, T, V)
            long[][] labels = batch.pairs().labels();
            double nll = 0;
            int tokens = 0;
            for (int b = 0; b < labels.length; b++) {
                for (int t = 0; t < labels[b].length && labels[b][t] != Labels.IGNORE_INDEX; t++) {
                    int from = (b * labels[b].length + t) * DecoderOnlyFixture.VOCAB;
                    nll -= logSoftmax(logits, from, (int) labels[b][t]);
                    tokens++;
                }
            }
            assertThat(tokens).as("target tokens, EOS included").isEqualTo((int) batch.pairs().targetTokens());
            assertThat(loss).isCloseTo(nll / tokens, within(1e-5)).isPositive();
        }
    }

    @Test
    void shouldComputeEveryDenseDivergenceOnTheTargetPositions() {
        TrainingBatch batch = fixture.batch();
        for (TokenDivergence divergence : divergences()) {
            try (NDManager manager = fixture.manager.newSubManager()) {
                double loss = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), divergence)
                        .loss(manager, batch, 0).getFloat();
                NDArray teacher = DecoderOnlyFixture.targetLogits(manager, fixture.teacher, batch.pairs(),
                        RunMode.INFERENCE);
                NDArray student = DecoderOnlyFixture.targetLogits(manager, fixture.student, batch.pairs(),
                        RunMode.INFERENCE);
                NDArray mask = manager.create(batch.pairs().labels()).neq(Labels.IGNORE_INDEX);

                assertThat(loss).as(divergence.name())
                        .isCloseTo(divergence.dense(student, teacher, mask).getFloat(), within(1e-5)).isPositive();
            }
        }
    }

    @Test
    void shouldEqualDenseKdFromAGpt2TeachersPtRecordsAtTheFullVocabulary() {
        List<PseudoTarget> records = teacherPts(DecoderOnlyFixture.VOCAB);
        for (PseudoTarget record : records) {
            TrainingExample pair = DecoderOnlyFixture.PAIRS.stream()
                    .filter(p -> p.exampleId().equals(record.getExampleId())).findFirst().orElseThrow();
            long[] prompt = fixture.encoding.input(pair.source(), DecoderOnlyFixture.PROMPT,
                    DecoderOnlyFixture.MAX_SOURCE_TOKENS);
            assertThat(ids(record.getSourceTokenIdsList())).as("the prompt").containsExactly(prompt);
            assertThat(record.getDistribution().getPositions()).as("one row per continuation token")
                    .isEqualTo(record.getTokenIdsCount()).isBetween(1, DecoderOnlyFixture.MAX_TARGET_TOKENS);
        }
        TrainingBatch pts = fixture.encoder.apply(records.stream().map(TrainingExample::new).toList());
        for (TokenDivergence divergence : divergences()) {
            try (NDManager manager = fixture.manager.newSubManager()) {
                double dense = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), divergence)
                        .loss(manager, pts, 0).getFloat();
                double sparse = new SparseKdObjective(fixture.student, divergence).loss(manager, pts, 0).getFloat();

                assertThat(sparse).as(divergence.name()).isCloseTo(dense, within(1e-5)).isPositive();
            }
        }
        TrainingBatch top5 = fixture.encoder.apply(teacherPts(5).stream().map(TrainingExample::new).toList());
        try (NDManager manager = fixture.manager.newSubManager()) {
            TokenDivergence kd = TokenDivergence.logitKd(1);
            double dense = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), kd)
                    .loss(manager, top5, 0).getFloat();
            assertThat((double) new SparseKdObjective(fixture.student, kd).loss(manager, top5, 0).getFloat())
                    .as("coarsening loses divergence").isLessThan(dense).isPositive();
        }
    }

    @Test
    void shouldSampleJointTeachingTargetsAsContinuationsOfThePrompts() {
        DenseKdObjective kd = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher),
                TokenDivergence.logitKd(1));
        JointTeachingObjective objective = new JointTeachingObjective(fixture.student, kd,
                JointTeachingSchedule.onlyStudent(), DecoderOnlyFixture.MAX_SOURCE_TOKENS, 12, 42L);
        List<StudentTargets> sampled = new ArrayList<>();
        objective.onStudentTargets(sampled::add);
        TrainingBatch batch = fixture.batch();
        try (NDManager manager = fixture.manager.newSubManager()) {
            double loss = objective.loss(manager, batch, 0).getFloat();

            long[][] prompts = new long[3][];
            List<GenerationInput> inputs = new ArrayList<>();
            for (int row = 0; row < 3; row++) {
                prompts[row] = batch.pairs().sourceIds(row);
                inputs.add(GenerationInput.of(prompts[row], batch.examples().get(row).exampleId()));
            }
            long[][] byHand = new Generator(fixture.student, GenerationConfig.fromModelConfig(fixture.student.config()))
                    .generate(inputs, objective.samplingSettings(0)).stream().map(Generation::best)
                    .map(h -> h.tokens()).toArray(long[][]::new);
            assertThat(sampled).hasSize(1);
            long[][] samples = sampled.get(0).targets();
            assertThat(samples).as("the student's continuations of the prompts").isDeepEqualTo(byHand);
            assertThat(Arrays.stream(samples).map(row -> row.length).toList())
                    .allSatisfy(length -> assertThat(length).isBetween(1, 12));
            double expected = kd.lossOn(manager, PairBatch.ofIds(prompts, samples,
                    DecoderOnlyFixture.MAX_SOURCE_TOKENS, 12, 0)).getFloat();
            assertThat(loss).as("KD on prompt + sample, the teacher teacher-forced").isEqualTo(expected)
                    .isNotEqualTo((double) kd.loss(manager, batch, 0).getFloat());
        }
    }

    @Test
    void shouldRunNoisyKdWithTheGpt2TeachersDropout() {
        TrainingBatch batch = fixture.batch();
        TokenDivergence kd = TokenDivergence.logitKd(1);
        TeacherPass own = TeacherPass.noisy(fixture.teacher);
        TeacherPass higher = TeacherPass.noisy(fixture.teacher, 0.3);
        try (NDManager manager = fixture.manager.newSubManager()) {
            double eval = new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), kd)
                    .loss(manager, batch, 0).getFloat();
            DenseKdObjective noisy = new DenseKdObjective(fixture.student, higher, kd);
            double first = noisy.loss(manager, batch, 0).getFloat();
            double second = noisy.loss(manager, batch, 0).getFloat();

            assertThat(own.dropout()).as("gpt2-tiny's resid_pdrop").isEqualTo(0.1);
            assertThat(higher.dropout()).isEqualTo(0.3);
            assertThat(first).as("dropout active: two calls differ").isNotEqualTo(second).isNotEqualTo(eval);
            assertThat((double) new DenseKdObjective(fixture.student, own, kd).loss(manager, batch, 0).getFloat())
                    .isNotEqualTo(eval);
        }
    }

    @Test
    void shouldRefuseAMixedArchitecturePairAndRecordsOfAnotherVocabulary() throws Exception {
        try (NDManager manager = fixture.manager.newSubManager();
                Seq2SeqModel bart = PretrainedModels.loadSeq2Seq(HfTiny.copyModel(HfTiny.BART, temp), manager)) {
            assertThatThrownBy(() -> Objectives.create(ObjectiveSpec.of(ObjectiveSpec.Kind.LOGIT_KD,
                    ObjectiveSpec.TeacherSource.IN_PROCESS, 1), fixture.student, Optional.of(bart)))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("teacher and student must share a tokenizer and a kind of architecture: the teacher"
                            + " is encoder-decoder bart with 600 tokens, the student decoder-only gpt2 with 600 tokens"
                            + " (distill a decoder-only teacher into a decoder-only student, an encoder-decoder one"
                            + " into an encoder-decoder one, with one vocabulary)");
        }
        PseudoTarget record = teacherPts(DecoderOnlyFixture.VOCAB).get(0);
        float[][] rows = new float[record.getTokenIdsCount()][50];
        for (float[] row : rows) {
            Arrays.fill(row, (float) -Math.log(50));
        }
        PseudoTarget otherVocabulary = record.toBuilder()
                .setDistribution(SparseDistribution.fromLogProbs(rows, 5).toProto(Quantization.FP32)).build();
        TrainingBatch batch = fixture.encoder.apply(List.of(new TrainingExample(otherVocabulary)));
        try (NDManager manager = fixture.manager.newSubManager()) {
            assertThatThrownBy(() -> new SparseKdObjective(fixture.student, TokenDivergence.logitKd(1))
                    .loss(manager, batch, 0)).isInstanceOf(BadInputException.class)
                    .hasMessage("TeacherDistribution of example 0 in the batch: vocab_size is 50, the student's"
                            + " vocabulary has 600 tokens");
        }
    }

    /** PT 0 of every pair, sampled by the gpt2-tiny teacher after the fixture's prompts, top-k distributions. */
    private static List<PseudoTarget> teacherPts(int k) {
        PtSettings settings = new PtSettings("job-1", "gpt2-tiny@fixture", PtDecoding.SAMPLING, 1, 1,
                DecoderOnlyFixture.MAX_SOURCE_TOKENS, DecoderOnlyFixture.MAX_TARGET_TOKENS, k, Quantization.FP32, 3,
                7L);
        List<PtInput> inputs = DecoderOnlyFixture.PAIRS.stream()
                .map(p -> PtInput.labeled(p.exampleId(), p.source(), p.target())).toList();
        return new PseudoTargetGenerator(fixture.teacher, fixture.tokenizer,
                GenerationConfig.fromModelConfig(fixture.teacher.config()), settings, DecoderOnlyFixture.PROMPT,
                Clock.systemUTC()).generate(inputs, 0);
    }

    private static List<TokenDivergence> divergences() {
        return List.of(TokenDivergence.logitKd(1), TokenDivergence.logitKd(2), TokenDivergence.reverseKl(1),
                TokenDivergence.generalizedJsd(0.5, 1));
    }

    private static long[] ids(List<Integer> ids) {
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }

    private static double logSoftmax(float[] logits, int from, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < DecoderOnlyFixture.VOCAB; v++) {
            max = Math.max(max, logits[from + v]);
        }
        double sum = 0;
        for (int v = 0; v < DecoderOnlyFixture.VOCAB; v++) {
            sum += Math.exp(logits[from + v] - max);
        }
        return logits[from + label] - max - Math.log(sum);
    }
}
