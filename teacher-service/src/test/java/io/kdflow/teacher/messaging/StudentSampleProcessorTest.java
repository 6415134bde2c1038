package io.kdflow.teacher.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * teacher-service against a real broker: a job's JobSpec and teacher-ready event, then student samples in and the
 * teacher's scores out (the bart-tiny fixture as teacher), bad samples dead-lettered with their reason.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class StudentSampleProcessorTest {

    /** scoring.model-store of the test profile (application.properties). */
    private static final Path STORE = Path.of("target/test-model-store");
    private static final int TOP_K = 8;

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldAnswerEachStudentSampleWithTheTeachersTeacherForcedTopK() throws Exception {
        Path teacherDir = publishJob("job-score");
        List<Integer> source = List.of(0, 31, 47, 52, 2);
        List<Integer> tokens = List.of(0, 100, 101, 7, 2);
        kafka.send(Topics.STUDENT_SAMPLES, key("job-score/5/0"),
                WireCodecs.STUDENT_SAMPLE.encode(sample("job-score", "job-score/5/0", source, tokens)));
        kafka.send(Topics.STUDENT_SAMPLES, key("job-score/5/1"),
                WireCodecs.STUDENT_SAMPLE.encode(sample("job-score", "job-score/5/1", List.of(0, 9, 2), List.of(5))));

        StudentScores scores = WireCodecs.STUDENT_SCORES.decode(
                kafka.awaitRecord(Topics.STUDENT_SCORES, r -> keyOf(r.key()).equals("job-score/5/0")).value());
        assertThat(scores.getRequestId()).isEqualTo("job-score/5/0");
        assertThat(scores.getExampleId()).isEqualTo("ex-job-score/5/0");
        assertThat(scores.getStudentStep()).isEqualTo(12);
        assertThat(scores.getHeader().getJobId()).isEqualTo("job-score");
        assertThat(scores.getHeader().getProvenance().getModelRevision())
                .isEqualTo(ModelStore.sha256(teacherDir.resolve("model.safetensors")));
        assertThat(scores.getDistribution().getQuantization()).isEqualTo(Quantization.FP32);
        SparseDistribution actual = SparseDistribution.fromProto(scores.getDistribution());
        SparseDistribution expected = teacherForced(teacherDir, source, tokens);
        assertThat(actual.positions()).isEqualTo(tokens.size());
        assertThat(actual.k()).isEqualTo(TOP_K);
        assertThat(actual.tokenIds()).as("kd-core's teacher-forced top-k on the same ids").isEqualTo(expected.tokenIds());
        for (int i = 0; i < expected.logProbs().length; i++) {
            assertThat(actual.logProbs()[i]).isCloseTo(expected.logProbs()[i], within(1e-5f));
        }
        for (int p = 0; p < expected.positions(); p++) {
            assertThat(actual.tailLogMass(p)).isCloseTo(expected.tailLogMass(p), within(1e-4f));
        }
        assertThat(SparseDistribution.fromProto(WireCodecs.STUDENT_SCORES.decode(kafka.awaitRecord(
                Topics.STUDENT_SCORES, r -> keyOf(r.key()).equals("job-score/5/1")).value()).getDistribution())
                .positions()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterSamplesItCannotScoreAndKeepServing() throws Exception {
        publishJob("job-bad");
        kafka.send(Topics.STUDENT_SAMPLES, key("req-vocab"),
                WireCodecs.STUDENT_SAMPLE.encode(sample("job-bad", "req-vocab", List.of(0, 2), List.of(5, 60_000))));
        kafka.send(Topics.STUDENT_SAMPLES, key("req-long"), WireCodecs.STUDENT_SAMPLE.encode(
                sample("job-bad", "req-long", List.of(0, 2), java.util.Collections.nCopies(25, 5))));
        kafka.send(Topics.STUDENT_SAMPLES, key("req-job"),
                WireCodecs.STUDENT_SAMPLE.encode(sample("job-unknown", "req-job", List.of(0, 2), List.of(5))));
        kafka.send(Topics.STUDENT_SAMPLES, key("req-good"),
                WireCodecs.STUDENT_SAMPLE.encode(sample("job-bad", "req-good", List.of(0, 2), List.of(5, 6))));

        assertThat(deadLetter("req-vocab").getReason())
                .contains("StudentSample.token_ids[1]: token 60000 outside the teacher vocabulary [0, 600)");
        assertThat(deadLetter("req-long").getReason())
                .contains("StudentSample.token_ids: 25 tokens; the job allows 1 to training.max_target_tokens (24)");
        assertThat(deadLetter("req-job").getReason())
                .contains("StudentSample.header.job_id: unknown job 'job-unknown' (no JobSpec on kdflow.jobs.v1)");
        assertThat(deadLetter("req-vocab").getService()).isEqualTo("teacher");
        assertThat(kafka.awaitRecord(Topics.STUDENT_SCORES, r -> keyOf(r.key()).equals("req-good"))).isNotNull();

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_teacher_records_total{outcome=\"scored\"}"))
                .body(containsString("kdflow_teacher_records_total{outcome=\"dead_letter\"}"));
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
    }

    /** Puts the bart-tiny teacher into the store and publishes the job's JobSpec and teacher-ready event. */
    private Path publishJob(String job) throws Exception {
        ModelStore store = new ModelStore(STORE.toAbsolutePath());
        Path dir = HfTiny.copyModel(HfTiny.BART, Files.createDirectories(store.root().resolve("teachers/" + job)));
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("shakespeare")
                .setPseudoTargets(PseudoTargetSpec.newBuilder().setDistributionTopK(TOP_K)
                        .setQuantization(Quantization.FP32))
                .setTraining(TrainingSpec.newBuilder().setMaxSourceTokens(24).setMaxTargetTokens(24))
                .build();
        kafka.send(Topics.JOBS, Topics.jobKey(job).getBytes(StandardCharsets.UTF_8), WireCodecs.JOB_SPEC.encode(spec));
        CheckpointEvent teacher = CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setRole(ModelRole.TEACHER)
                .setFinal(true)
                .setUri(store.uriOf(dir).toString())
                .setSha256(ModelStore.sha256(dir.resolve("model.safetensors")))
                .build();
        kafka.send(Topics.CHECKPOINTS, Topics.checkpointKey(job, ModelRole.TEACHER).getBytes(StandardCharsets.UTF_8),
                WireCodecs.CHECKPOINT_EVENT.encode(teacher));
        return dir;
    }

    private static SparseDistribution teacherForced(Path teacherDir, List<Integer> source, List<Integer> tokens) {
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory teacher = ModelDirectory.loadWithoutTokenizer(teacherDir, manager)) {
            ScoringPair pair = new ScoringPair(source.stream().mapToLong(Integer::longValue).toArray(),
                    tokens.stream().mapToLong(Integer::longValue).toArray());
            return new TeacherForcedScorer(teacher.model(), teacher.generationConfig()).score(List.of(pair), TOP_K)
                    .get(0).topK().toSparseDistribution();
        }
    }

    private DeadLetter deadLetter(String requestId) {
        return WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r.key()).equals(requestId)).value());
    }

    private static StudentSample sample(String job, String requestId, List<Integer> source, List<Integer> tokens) {
        return StudentSample.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setRequestId(requestId)
                .setExampleId("ex-" + requestId)
                .setStudentStep(12)
                .addAllSourceTokenIds(source)
                .addAllTokenIds(tokens)
                .build();
    }

    private static byte[] key(String requestId) {
        return Topics.requestKey(requestId).getBytes(StandardCharsets.UTF_8);
    }

    private static String keyOf(byte[] key) {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }
}
