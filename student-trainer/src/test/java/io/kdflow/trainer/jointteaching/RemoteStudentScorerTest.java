package io.kdflow.trainer.jointteaching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.train.ExampleEncoder;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.train.objective.DenseKdObjective;
import io.kdflow.core.train.objective.JointTeachingObjective;
import io.kdflow.core.train.objective.JointTeachingSchedule;
import io.kdflow.core.train.objective.StudentSamples;
import io.kdflow.core.train.objective.ScoredRecords;
import io.kdflow.core.train.objective.TeacherForcedSampleScorer;
import io.kdflow.core.train.objective.TeacherPass;
import io.kdflow.core.train.objective.TokenDivergence;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.kdflow.kafka.testing.SharedKafkaBroker;
import io.kdflow.trainer.jointteaching.RemoteStudentScorer.RoundTrip;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote Joint-Teaching over the real embedded broker: the trainer's {@link RemoteStudentScorer} publishes the
 * student's samples and waits for the scores a responder thread computes with kd-core's teacher-forced scorer (the
 * code teacher-service runs; teacher-service itself is another application). With k = vocabulary and FP32 the
 * losses equal those of the dense teacher in the process.
 */
class RemoteStudentScorerTest {

    private static final int MAX_TOKENS = 32;
    private static final List<TrainingExample> PAIRS = List.of(
            TrainingExample.of("a", "Good morrow to you, my lord.", "Hello, sir."),
            TrainingExample.of("b", "What news on the Rialto?", "What is new in town today?"),
            TrainingExample.of("c", "Wherefore art thou Romeo?", "Why are you Romeo?"));

    @TempDir
    static Path temp;

    private static String bootstrap;
    private static NDManager manager;
    private static Seq2SeqModel teacher;
    private static Seq2SeqModel student;
    private static HfTokenizer tokenizer;
    private static ExampleEncoder encoder;
    private static TeacherForcedSampleScorer exact;
    private static int threadsBefore;

    @BeforeAll
    static void load() throws Exception {
        bootstrap = SharedKafkaBroker.bootstrapServers();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            kafka.createTopics(2, Topics.STUDENT_SAMPLES, Topics.STUDENT_SCORES, Topics.DEAD_LETTERS);
        }
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        manager = NDManager.newBaseManager();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        teacher = PretrainedModels.loadSeq2Seq(dir, manager);
        student = (Seq2SeqModel) LayerPruning.pruneDecoderDefault(teacher, manager);
        tokenizer = HfTokenizer.load(dir.resolve("tokenizer.json"));
        encoder = new ExampleEncoder(new TextEncoding(tokenizer, student.config()), MAX_TOKENS, MAX_TOKENS, 1);
        exact = new TeacherForcedSampleScorer(teacher, GenerationConfig.fromModelConfig(teacher.config()),
                teacher.config().vocabSize(), Quantization.FP32);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
        student.close();
        teacher.close();
        manager.close();
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldTrainOnTheSameLossesAsTheTeacherInTheProcess() throws Exception {
        List<RoundTrip> trips = new ArrayList<>();
        List<JointTeachingObjective.AppliedScores> applied = new ArrayList<>();
        TrainingBatch batch = withTeacherRecords(encoder.apply(PAIRS));
        JointTeachingObjective local = new JointTeachingObjective(student,
                new DenseKdObjective(student, TeacherPass.eval(teacher), TokenDivergence.logitKd(1)),
                new JointTeachingSchedule(0.5), MAX_TOKENS, 12, 42L);
        try (SampleResponder responder = new SampleResponder(bootstrap, "job-jt", exact);
                RemoteStudentScorer scorer = scorer("job-jt", Duration.ofSeconds(60)).onRoundTrip(trips::add);
                NDManager losses = manager.newSubManager()) {
            JointTeachingObjective remote = JointTeachingObjective.remote(student, TokenDivergence.logitKd(1), scorer,
                    new JointTeachingSchedule(0.5), MAX_TOKENS, 12, 42L).onScoresApplied(applied::add);
            for (long step = 0; step < 4; step++) {
                double expected = local.loss(losses, batch, step).getFloat();
                assertThat((double) remote.loss(losses, batch, step).getFloat()).as("step %d", step)
                        .isCloseTo(expected, within(1e-5));
            }
        }
        assertThat(trips).extracting(RoundTrip::sampledAt).containsExactly(1L, 3L);
        assertThat(trips).extracting(RoundTrip::staleness).containsOnly(0L);
        assertThat(trips).extracting(RoundTrip::samples).containsOnly(3);
        assertThat(applied).extracting(JointTeachingObjective.AppliedScores::staleness).containsOnly(0L);
    }

    @Test
    void shouldRequestALostSampleAgainAndKeepOnlyTheFirstOfRepeatedScores() throws Exception {
        TrainingBatch batch = withTeacherRecords(encoder.apply(PAIRS));
        JointTeachingObjective local = new JointTeachingObjective(student,
                new DenseKdObjective(student, TeacherPass.eval(teacher), TokenDivergence.logitKd(1)),
                new JointTeachingSchedule(0.5), MAX_TOKENS, 12, 42L);
        StudentSamples probe = new StudentSamples(100, List.of("a"), new long[][] {{0, 31, 2}},
                new long[][] {{0, 5, 2}});
        try (SampleResponder responder = new SampleResponder(bootstrap, "job-lossy", exact, true, 2);
                RemoteStudentScorer scorer = new RemoteStudentScorer("job-lossy", bootstrap, Duration.ofMinutes(5),
                        Duration.ofSeconds(10), Clock.systemUTC(), "student-trainer/test");
                NDManager losses = manager.newSubManager()) {
            JointTeachingObjective remote = JointTeachingObjective.remote(student, TokenDivergence.logitKd(1), scorer,
                    new JointTeachingSchedule(0.5), MAX_TOKENS, 12, 42L);
            for (long step = 0; step < 4; step++) {
                double expected = local.loss(losses, batch, step).getFloat();
                assertThat((double) remote.loss(losses, batch, step).getFloat()).as("step %d", step)
                        .isCloseTo(expected, within(1e-5));
            }
            // one more lost request, answered once: while it waits, every copy of the earlier answers comes in
            responder.answerOnce();
            assertThat(scorer.score(probe)).hasSize(1);

            assertThat(scorer.received()).as("one score per sample: 2 steps of 3, the probe").isEqualTo(7);
            assertThat(scorer.reRequests()).as("every sample lost once").isGreaterThanOrEqualTo(7);
            assertThat(scorer.duplicates()).as("every copy after the first dropped")
                    .isEqualTo(responder.answers() - scorer.received()).isEqualTo(6);
        }
    }

    @Test
    void shouldFailTheStepWithTeacherServicesReasonWhenASampleIsDeadLettered() throws Exception {
        int vocab = teacher.config().vocabSize();
        StudentSamples bad = new StudentSamples(7, List.of("a", "b"), new long[][] {{0, 31, 2}, {0, 47, 2}},
                new long[][] {{0, 5, 2}, {0, vocab + 3}});
        try (SampleResponder responder = new SampleResponder(bootstrap, "job-bad", exact);
                RemoteStudentScorer scorer = scorer("job-bad", Duration.ofSeconds(60))) {
            assertThatThrownBy(() -> scorer.score(bad))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith("Joint-Teaching step 7 of job job-bad: teacher rejected student sample"
                            + " job-bad/")
                    .hasMessageEndingWith("/7/1: sample 0: token_ids[1] = " + (vocab + 3) + " lies outside the"
                            + " teacher's vocabulary [0, " + vocab + ")");
        }
    }

    @Test
    void shouldFailTheStepClearlyWhenNoTeacherAnswers() {
        StudentSamples samples = new StudentSamples(2, List.of("a"), new long[][] {{0, 31, 2}}, new long[][] {{0, 5}});
        try (RemoteStudentScorer scorer = scorer("job-silent", Duration.ofMillis(500))) {
            assertThatThrownBy(() -> scorer.score(samples))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Joint-Teaching step 2 of job job-silent: teacher-service answered 0 of 1 student"
                            + " samples within PT0.5S (is teacher-service running and consuming"
                            + " kdflow.student-samples.v1?)");
        }
    }

    private static RemoteStudentScorer scorer(String job, Duration timeout) {
        return new RemoteStudentScorer(job, bootstrap, timeout, Clock.systemUTC(), "student-trainer/test");
    }

    /** The batch's examples as GOLD-like records carrying the exact teacher distribution on their labels. */
    private static TrainingBatch withTeacherRecords(TrainingBatch batch) {
        return encoder.apply(ScoredRecords.withTeacherRecords(batch, exact));
    }
}
