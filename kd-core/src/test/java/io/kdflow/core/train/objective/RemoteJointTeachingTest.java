package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.objective.JointTeachingObjective.AppliedScores;
import io.kdflow.core.train.objective.JointTeachingObjective.StudentTargets;
import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joint-Teaching with the teacher outside the trainer: the other steps read the records' sparse distributions,
 * the student steps the scores a {@link StudentSampleScorer} returns for the student's samples. With k =
 * vocabulary and FP32 (nothing cut, nothing rounded) it trains on the same losses as the dense teacher in the
 * process.
 */
class RemoteJointTeachingTest {

    @TempDir
    static Path temp;

    private static ObjectiveFixture fixture;
    private static int vocab;

    @BeforeAll
    static void load() throws Exception {
        fixture = new ObjectiveFixture(temp);
        vocab = fixture.teacher.config().vocabSize();
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void shouldGiveTheDenseInProcessLossesWithFullFp32Scores() {
        TeacherForcedSampleScorer teacherScorer = scorer(vocab, Quantization.FP32);
        List<StudentSamples> scored = new ArrayList<>();
        StudentSampleScorer remote = samples -> {
            scored.add(samples);
            return teacherScorer.score(samples);
        };
        JointTeachingObjective dense = new JointTeachingObjective(fixture.student, denseKd(),
                new JointTeachingSchedule(0.5), ObjectiveFixture.MAX_TOKENS, 12, 42L);
        JointTeachingObjective sparse = JointTeachingObjective.remote(fixture.student, TokenDivergence.logitKd(1),
                remote, new JointTeachingSchedule(0.5), ObjectiveFixture.MAX_TOKENS, 12, 42L);
        List<StudentTargets> denseSamples = new ArrayList<>();
        List<StudentTargets> sparseSamples = new ArrayList<>();
        List<AppliedScores> applied = new ArrayList<>();
        dense.onStudentTargets(denseSamples::add);
        sparse.onStudentTargets(sparseSamples::add).onScoresApplied(applied::add);
        TrainingBatch batch = withTeacherRecords(fixture.batch(), teacherScorer);

        try (NDManager manager = fixture.manager.newSubManager()) {
            for (long step = 0; step < 6; step++) {
                double expected = dense.loss(manager, batch, step).getFloat();
                double actual = sparse.loss(manager, batch, step).getFloat();
                assertThat(actual).as("step %d", step).isCloseTo(expected, within(1e-5)).isPositive();
            }
        }

        assertThat(sparseSamples).extracting(StudentTargets::step).containsExactly(1L, 3L, 5L);
        for (int i = 0; i < sparseSamples.size(); i++) {
            assertThat(sparseSamples.get(i).targets()).as("the same samples").isDeepEqualTo(denseSamples.get(i).targets());
        }
        assertThat(scored).extracting(StudentSamples::step).containsExactly(1L, 3L, 5L);
        assertThat(scored.get(0).exampleIds()).containsExactly("a", "b", "c");
        assertThat(scored.get(0).samples()).isDeepEqualTo(sparseSamples.get(0).targets());
        assertThat(scored.get(0).sources()).isDeepEqualTo(ScoredRecords.sources(batch));
        assertThat(applied).extracting(AppliedScores::sampledAt).containsExactly(1L, 3L, 5L);
        assertThat(applied).extracting(AppliedScores::staleness).containsOnly(0L);
        assertThat(applied).extracting(AppliedScores::samples).containsOnly(3);
        assertThat(sparse.name()).isEqualTo("joint-teaching(fraction=0.5, sparse-logit-kd(tau=1.0))");
    }

    @Test
    void shouldScoreEachSampleAsTheTeacherForcedTeacherAtTheSampledPositions() {
        long[][] sources = ScoredRecords.sources(fixture.batch());
        long[][] samples = {{0, 31, 47, 2}, {0, 5}, {0, 100, 101, 102, 2}};
        List<SparseDistribution> scores = scorer(vocab, Quantization.FP32)
                .score(new StudentSamples(3, List.of("a", "b", "c"), sources, samples));
        PairBatch pairs = PairBatch.ofIds(sources, samples, ObjectiveFixture.MAX_TOKENS, 12, 1);
        try (NDManager manager = fixture.manager.newSubManager()) {
            float[] logProbs = ObjectiveFixture.logits(manager, fixture.teacher, pairs,
                    io.kdflow.core.model.nn.RunMode.INFERENCE).logSoftmax(-1).toFloatArray(); // (B, T, V) flat
            int width = pairs.labels()[0].length;
            for (int b = 0; b < samples.length; b++) {
                SparseDistribution score = scores.get(b);
                assertThat(score.positions()).isEqualTo(samples[b].length);
                assertThat(score.k()).isEqualTo(vocab);
                for (int p = 0; p < samples[b].length; p++) {
                    for (int rank = 0; rank < 3; rank++) {
                        int token = score.tokenId(p, rank);
                        assertThat(score.logProb(p, rank)).as("row %d position %d token %d", b, p, token)
                                .isCloseTo(logProbs[(b * width + p) * vocab + token], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void shouldKeepTheJobsTopKAndQuantizationAndRejectTokensOutsideTheVocabulary() {
        long[][] sources = {ScoredRecords.sources(fixture.batch())[0]};
        TeacherForcedSampleScorer top8 = scorer(8, Quantization.INT8);
        List<TeacherDistribution> wire = top8.distributions(sources, new long[][] {{0, 31, 2}});
        assertThat(wire.get(0).getK()).isEqualTo(8);
        assertThat(wire.get(0).getQuantization()).isEqualTo(Quantization.INT8);
        assertThat(wire.get(0).getPositions()).isEqualTo(3);
        assertThat(top8.score(new StudentSamples(0, List.of("a"), sources, new long[][] {{0, 31, 2}})))
                .containsExactly(SparseDistribution.fromProto(wire.get(0)));

        assertThatThrownBy(() -> top8.distributions(sources, new long[][] {{0, vocab, 2}}))
                .isInstanceOf(BadInputException.class)
                .hasMessage("sample 0: token_ids[1] = " + vocab + " lies outside the teacher's vocabulary [0, " + vocab
                        + ")");
        assertThatThrownBy(() -> top8.distributions(sources, new long[][] {{}}))
                .isInstanceOf(BadInputException.class)
                .hasMessage("sample 0: token_ids is empty; the teacher scores at least one token");
    }

    private static DenseKdObjective denseKd() {
        return new DenseKdObjective(fixture.student, TeacherPass.eval(fixture.teacher), TokenDivergence.logitKd(1));
    }

    private static TeacherForcedSampleScorer scorer(int topK, Quantization quantization) {
        return new TeacherForcedSampleScorer(fixture.teacher, GenerationConfig.fromModelConfig(fixture.teacher.config()),
                topK, quantization);
    }

    /** The batch's examples as GOLD-like records carrying the scorer's distribution on their labels. */
    private static TrainingBatch withTeacherRecords(TrainingBatch batch, TeacherForcedSampleScorer scorer) {
        TrainingBatch sparse = fixture.encoder.apply(ScoredRecords.withTeacherRecords(batch, scorer));
        assertThat(sparse.pairs().labels()).isDeepEqualTo(batch.pairs().labels());
        return sparse;
    }
}
