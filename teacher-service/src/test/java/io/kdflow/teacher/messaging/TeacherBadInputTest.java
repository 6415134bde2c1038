package io.kdflow.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.kafka.testing.BadRecordProbe;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * teacher-service's rows of the bad-input matrix: corrupt bytes and a record of the wrong type on each consumed
 * topic (jobs, student samples) are dead-lettered with the reason and counted in
 * {@code kdflow_dead_letters_total{service,topic,reason}}, and a valid record after them is processed. (The REST
 * rows, 401 without the token and 413 for an oversized body, are TeacherApiTest's.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class TeacherBadInputTest {

    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final Path STORE = Path.of("target/test-model-store");
    private static final String RECORDS = "kdflow_teacher_records_total";

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    private BadRecordProbe probe() {
        return BadRecordProbe.ofServiceUnderTest(kafka, "teacher");
    }

    @Test
    void jobsTopicShouldDeadLetterCorruptBytesAndAWrongTypeAndKeepServing() {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-jobs-" + RUN;
        probe.sendCorrupt(Topics.JOBS, job + "-corrupt");
        probe.send(Topics.JOBS, job + "-wrong", WireCodecs.STUDENT_SAMPLE.encode(sample(job, job + "/r")));
        probe.send(Topics.JOBS, job, WireCodecs.JOB_SPEC.encode(spec(job)));

        probe.assertCorruptAndWrongType(before, Topics.JOBS, "JobSpec", job + "-corrupt",
                job + "-wrong", "StudentSample");
        probe.awaitGrowth(before, RECORDS, Map.of("outcome", "no_teacher"), 1);
    }

    @Test
    void studentSamplesTopicShouldDeadLetterCorruptBytesAWrongTypeAndAnUnknownJobAndKeepServing() throws Exception {
        BadRecordProbe probe = probe();
        String job = "job-bi-samples-" + RUN;
        publishJob(job);
        String before = probe.snapshot();
        probe.sendCorrupt(Topics.STUDENT_SAMPLES, job + "/corrupt");
        probe.send(Topics.STUDENT_SAMPLES, job + "/wrong", WireCodecs.JOB_SPEC.encode(spec(job)));
        probe.send(Topics.STUDENT_SAMPLES, job + "/unknown",
                WireCodecs.STUDENT_SAMPLE.encode(sample(job + "-unknown", job + "/unknown")));
        probe.send(Topics.STUDENT_SAMPLES, job + "/good", WireCodecs.STUDENT_SAMPLE.encode(sample(job, job + "/good")));

        probe.assertCorruptAndWrongType(before, Topics.STUDENT_SAMPLES, "StudentSample", job + "/corrupt",
                job + "/wrong", "JobSpec");
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/unknown")).getReason())
                .isEqualTo("StudentSample.header.job_id: unknown job '" + job + "-unknown' (no JobSpec on"
                        + " kdflow.jobs.v1)");
        assertThat(kafka.awaitRecord(Topics.STUDENT_SCORES, r -> r.key() != null
                && new String(r.key(), java.nio.charset.StandardCharsets.UTF_8).equals(job + "/good"))).isNotNull();
        probe.awaitGrowth(before, RECORDS, Map.of("outcome", "scored"), 1);
        probe.awaitDeadLetters(before, Topics.STUDENT_SAMPLES, "unknown_job", 1);
    }

    @Test
    void aSampleOfAJobWhoseTeacherWasTamperedWithShouldBeDeadLetteredBeforeLoading() throws Exception {
        BadRecordProbe probe = probe();
        String job = "job-bi-tampered-" + RUN;
        publishJob(job, "0".repeat(64));
        String before = probe.snapshot();
        probe.send(Topics.STUDENT_SAMPLES, job + "/r1", WireCodecs.STUDENT_SAMPLE.encode(sample(job, job + "/r1")));

        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/r1")).getReason())
                .startsWith("CheckpointEvent.sha256: " + "0".repeat(64) + " does not match store:teachers/" + job
                        + "/bart-tiny/model.safetensors (");
        probe.awaitDeadLetters(before, Topics.STUDENT_SAMPLES, "tampered_checkpoint", 1);
    }

    private void publishJob(String job) throws Exception {
        publishJob(job, null);
    }

    /** The job's spec and teacher-ready event; {@code sha256} null announces the teacher's real one. */
    private void publishJob(String job, String sha256) throws Exception {
        ModelStore store = new ModelStore(STORE.toAbsolutePath());
        Path dir = HfTiny.copyModel(HfTiny.BART, Files.createDirectories(store.root().resolve("teachers/" + job)));
        kafka.send(Topics.JOBS, bytes(Topics.jobKey(job)), WireCodecs.JOB_SPEC.encode(spec(job)));
        CheckpointEvent teacher = CheckpointEvent.newBuilder().setHeader(header(job)).setRole(ModelRole.TEACHER)
                .setFinal(true).setUri(store.uriOf(dir).toString())
                .setSha256(sha256 != null ? sha256 : ModelStore.sha256(dir.resolve("model.safetensors"))).build();
        kafka.send(Topics.CHECKPOINTS, bytes(Topics.checkpointKey(job, ModelRole.TEACHER)),
                WireCodecs.CHECKPOINT_EVENT.encode(teacher));
    }

    private static JobSpec spec(String job) {
        return JobSpec.newBuilder().setHeader(header(job)).setTask("shakespeare")
                .setPseudoTargets(PseudoTargetSpec.newBuilder().setDistributionTopK(8).setQuantization(Quantization.FP32))
                .setTraining(TrainingSpec.newBuilder().setMaxSourceTokens(24).setMaxTargetTokens(24))
                .build();
    }

    private static StudentSample sample(String job, String requestId) {
        return StudentSample.newBuilder().setHeader(header(job)).setRequestId(requestId).setExampleId("ex-1")
                .setStudentStep(1).addSourceTokenIds(0).addSourceTokenIds(2).addTokenIds(5).addTokenIds(6).build();
    }

    private static RecordHeader header(String job) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
