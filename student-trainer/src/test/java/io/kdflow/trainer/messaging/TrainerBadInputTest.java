package io.kdflow.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.kafka.testing.ApiGuardCheck;
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
 * student-trainer's rows of the bad-input matrix: corrupt bytes and a record of the wrong type on each consumed
 * topic (jobs, pseudo-targets, teacher-ready events on the checkpoint topic) are dead-lettered with the reason and
 * counted in {@code kdflow_dead_letters_total{service,topic,reason}}, and a valid record after them is processed;
 * a teacher-ready event naming a path outside the store or a tampered file is dead-lettered before loading; the
 * HTTP endpoints sit behind {@code kdflow.api.token} (set in the test profile).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class TrainerBadInputTest {

    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final String SERVICE = "trainer";
    private static final String RECORDS = "kdflow_trainer_records_total";

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    private BadRecordProbe probe() {
        return BadRecordProbe.ofServiceUnderTest(kafka, SERVICE);
    }

    /** Corrupt bytes, a record of the wrong type and a spec with a bad value; the last proves the consumer goes on. */
    @Test
    void jobsTopicShouldDeadLetterCorruptBytesAWrongTypeAndABadValueAndKeepServing() {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-jobs-" + RUN;
        probe.sendCorrupt(Topics.JOBS, job + "-corrupt");
        probe.send(Topics.JOBS, job + "-wrong", WireCodecs.SOURCE_EXAMPLE.encode(example(job)));
        probe.send(Topics.JOBS, job, WireCodecs.JOB_SPEC.encode(badSpec(job)));

        probe.assertCorruptAndWrongType(before, Topics.JOBS, "JobSpec", job + "-corrupt",
                job + "-wrong", "SourceExample");
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job)).getReason())
                .isEqualTo("JobSpec.training.batch_size: 0 is not allowed (must be 1..4096)");
        probe.awaitDeadLetters(before, Topics.JOBS, "bad_value", 1);
    }

    @Test
    void pseudoTargetsTopicShouldDeadLetterCorruptBytesAndAWrongTypeAndKeepServing() {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-pt-" + RUN;
        probe.sendCorrupt(Topics.PSEUDO_TARGETS, job + "/corrupt");
        probe.send(Topics.PSEUDO_TARGETS, job + "/wrong", WireCodecs.SOURCE_EXAMPLE.encode(example(job)));
        PseudoTarget gold = PseudoTarget.newBuilder().setHeader(header(job)).setExampleId("e1").setSplit(Split.TRAIN)
                .setKind(PseudoTarget.Kind.GOLD).setNumPseudoTargets(1).setSource("Good morrow.")
                .setText("Good morning.").build();
        probe.send(Topics.PSEUDO_TARGETS, job + "/e1", WireCodecs.PSEUDO_TARGET.encode(gold));

        probe.assertCorruptAndWrongType(before, Topics.PSEUDO_TARGETS, "PseudoTarget", job + "/corrupt",
                job + "/wrong", "SourceExample");
        probe.awaitGrowth(before, RECORDS, Map.of("outcome", "stored"), 1);
    }

    @Test
    void teacherEventsShouldDeadLetterCorruptBytesAWrongTypeAndBadFilesAndKeepServing() throws Exception {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-teacher-" + RUN;
        Path store = Path.of("target/test-model-store");
        Path teacher = Files.createDirectories(store.resolve("teachers").resolve(job));
        Files.writeString(teacher.resolve("config.json"), "{}");
        Files.writeString(teacher.resolve("model.safetensors"), "weights");
        Path outside = Files.createTempDirectory("kdflow-outside");
        Files.writeString(outside.resolve("model.safetensors"), "weights");
        Path linked = Files.createDirectories(store.resolve("teachers").resolve(job + "-linked"));
        Files.writeString(linked.resolve("config.json"), "{}");
        Files.createSymbolicLink(linked.resolve("model.safetensors"), outside.resolve("model.safetensors").toAbsolutePath());
        probe.sendCorrupt(Topics.CHECKPOINTS, job + "/corrupt");
        probe.send(Topics.CHECKPOINTS, job + "/wrong", WireCodecs.JOB_SPEC.encode(badSpec(job)));
        probe.send(Topics.CHECKPOINTS, job + "/dotdot", teacherEvent(job, "store:teachers/../../" + job));
        probe.send(Topics.CHECKPOINTS, job + "/link", teacherEvent(job, "store:teachers/" + job + "-linked"));
        probe.send(Topics.CHECKPOINTS, job + "/tampered", teacherEvent(job, "store:teachers/" + job));
        probe.send(Topics.CHECKPOINTS, job + "/student", WireCodecs.CHECKPOINT_EVENT.encode(studentEvent(job, false)));

        probe.assertCorruptAndWrongType(before, Topics.CHECKPOINTS, "CheckpointEvent", job + "/corrupt",
                job + "/wrong", "JobSpec");
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/dotdot")).getReason()).isEqualTo(
                "CheckpointEvent.uri: path outside the model store root: store:teachers/../../" + job);
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/link")).getReason()).isEqualTo(
                "CheckpointEvent.uri: path leaves the model store through a link: store:teachers/" + job
                        + "-linked/model.safetensors");
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/tampered")).getReason())
                .startsWith("CheckpointEvent.sha256: " + "0".repeat(64) + " does not match store:teachers/" + job
                        + "/model.safetensors (");
        probe.awaitGrowth(before, RECORDS, Map.of("outcome", "not_a_teacher"), 1);
        probe.awaitDeadLetters(before, Topics.CHECKPOINTS, "path_outside_store", 2);
        probe.awaitDeadLetters(before, Topics.CHECKPOINTS, "tampered_checkpoint", 1);
    }

    private static byte[] teacherEvent(String job, String uri) {
        return WireCodecs.CHECKPOINT_EVENT.encode(CheckpointEvent.newBuilder().setHeader(header(job))
                .setRole(ModelRole.TEACHER).setFinal(true).setUri(uri).setSha256("0".repeat(64)).build());
    }

    @Test
    void httpShouldNeedTheTokenExceptProbesAndMetricsAndRefuseOversizedBodies() {
        ApiGuardCheck.assertGuarded();
    }

    private static JobSpec badSpec(String job) {
        return JobSpec.newBuilder().setHeader(header(job)).setTask("style")
                .setTraining(TrainingSpec.newBuilder().setBatchSize(0).setLearningRate(1e-3f)).build();
    }

    private static SourceExample example(String job) {
        return SourceExample.newBuilder().setHeader(header(job)).setExampleId("e1").setSplit(Split.TRAIN)
                .setSource("Good morrow.").addReferences("Good morning.").build();
    }

    private static CheckpointEvent studentEvent(String job, boolean last) {
        return CheckpointEvent.newBuilder().setHeader(header(job)).setRole(ModelRole.STUDENT).setStep(3)
                .setFinal(last).setUri("store:" + job + "/student/step-3").setSha256("a".repeat(64)).build();
    }

    private static RecordHeader header(String job) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job).build();
    }
}
