package io.kdflow.sampler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.eval.ExampleTexts;
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
 * pt-sampler's rows of the bad-input matrix (docs/operations.md, "Bad input"): corrupt bytes and a record of the
 * wrong type on each consumed topic (jobs, checkpoints, examples) are dead-lettered with the reason and counted in
 * {@code kdflow_dead_letters_total{service,topic,reason}}, and a valid record after them is processed; teacher-ready
 * events naming a path outside the store, a missing or a tampered file are dead-lettered before anything is
 * loaded; the HTTP endpoints sit behind {@code kdflow.api.token} (set in the test profile).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class SamplerBadInputTest {

    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final Path STORE = Path.of("target/test-model-store");
    private static final String RECORDS = "kdflow_sampler_records_total";

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    private BadRecordProbe probe() {
        return BadRecordProbe.ofServiceUnderTest(kafka, "sampler");
    }

    @Test
    void jobsTopicShouldDeadLetterCorruptBytesAndAWrongTypeAndKeepServing() {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-jobs-" + RUN;
        probe.sendCorrupt(Topics.JOBS, job + "-corrupt");
        probe.send(Topics.JOBS, job + "-wrong", WireCodecs.SOURCE_EXAMPLE.encode(example(job, "e1")));
        probe.send(Topics.JOBS, job, WireCodecs.JOB_SPEC.encode(spec(job)));

        probe.assertCorruptAndWrongType(before, Topics.JOBS, "JobSpec", job + "-corrupt",
                job + "-wrong", "SourceExample");
        probe.awaitGrowth(before, RECORDS, Map.of("outcome", "job_stored"), 1);
    }

    @Test
    void checkpointsTopicShouldDeadLetterCorruptBytesAndAWrongTypeAndKeepServing() {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-cp-" + RUN;
        probe.sendCorrupt(Topics.CHECKPOINTS, job + "/corrupt");
        probe.send(Topics.CHECKPOINTS, job + "/wrong", WireCodecs.JOB_SPEC.encode(spec(job)));
        CheckpointEvent student = CheckpointEvent.newBuilder().setHeader(header(job)).setRole(ModelRole.STUDENT)
                .setStep(3).setUri("store:" + job + "/student/step-3").setSha256("a".repeat(64)).build();
        probe.send(Topics.CHECKPOINTS, job + "/student", WireCodecs.CHECKPOINT_EVENT.encode(student));

        probe.assertCorruptAndWrongType(before, Topics.CHECKPOINTS, "CheckpointEvent", job + "/corrupt",
                job + "/wrong", "JobSpec");
        probe.awaitGrowth(before, RECORDS, Map.of("outcome", "checkpoint_ignored"), 1);
    }

    @Test
    void examplesTopicShouldDeadLetterCorruptBytesAndAWrongTypeAndKeepServing() {
        BadRecordProbe probe = probe();
        String job = "job-bi-ex-" + RUN;
        String beforeSpec = probe.snapshot();
        probe.send(Topics.JOBS, job, WireCodecs.JOB_SPEC.encode(spec(job)));
        probe.awaitGrowth(beforeSpec, RECORDS, Map.of("outcome", "job_stored"), 1);
        String before = probe.snapshot();
        probe.sendCorrupt(Topics.EXAMPLES, job + "/corrupt");
        probe.send(Topics.EXAMPLES, job + "/wrong", WireCodecs.JOB_SPEC.encode(spec(job)));
        probe.send(Topics.EXAMPLES, job + "/e1", WireCodecs.SOURCE_EXAMPLE.encode(example(job, "e1")));

        probe.assertCorruptAndWrongType(before, Topics.EXAMPLES, "SourceExample", job + "/corrupt",
                job + "/wrong", "JobSpec");
        probe.awaitGrowth(before, RECORDS, Map.of("outcome", "queued"), 1);
    }

    @Test
    void examplesWithAnEmptyOrOverLongSourceOrTargetShouldBeDeadLetteredNamingTheField() {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-texts-" + RUN;
        String tooLong = "x".repeat(ExampleTexts.MAX_CHARS + 1);
        send(probe, example(job, "empty-source").toBuilder().setSource(" ").build());
        send(probe, example(job, "long-source").toBuilder().setSource(tooLong).build());
        send(probe, example(job, "empty-target").toBuilder().setReferences(0, "").build());
        send(probe, example(job, "long-target").toBuilder().setReferences(0, tooLong).build());

        assertThat(reasonOf(probe, job + "/empty-source")).isEqualTo("SourceExample.source of example empty-source:"
                + " empty (an example needs a source and, when labeled, a target text)");
        assertThat(reasonOf(probe, job + "/long-source")).isEqualTo("SourceExample.source of example long-source:"
                + " 100001 characters is too long (at most 100000)");
        assertThat(reasonOf(probe, job + "/empty-target")).startsWith("SourceExample.references[0] of example"
                + " empty-target: empty");
        assertThat(reasonOf(probe, job + "/long-target")).isEqualTo("SourceExample.references[0] of example"
                + " long-target: 100001 characters is too long (at most 100000)");
        probe.awaitDeadLetters(before, Topics.EXAMPLES, "bad_value", 4);
    }

    @Test
    void teacherEventsShouldBeDeadLetteredForAPathOutsideTheStoreAMissingOrATamperedFile() throws Exception {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-teacher-" + RUN;
        Path teacher = HfTiny.copyModel(HfTiny.BART, STORE.resolve("teachers").resolve(job));
        String uri = "store:" + STORE.relativize(teacher);
        String sha = ModelStore.sha256(teacher.resolve("model.safetensors"));
        Path outside = Files.createTempDirectory("kdflow-outside");
        Files.createSymbolicLink(STORE.resolve("teachers").resolve(job + "-link"), outside.toAbsolutePath());

        probe.send(Topics.CHECKPOINTS, job + "/dotdot", teacherEvent(job, "store:../" + job, sha));
        probe.send(Topics.CHECKPOINTS, job + "/absolute", teacherEvent(job, "store:/etc", sha));
        probe.send(Topics.CHECKPOINTS, job + "/link", teacherEvent(job, "store:teachers/" + job + "-link", sha));
        probe.send(Topics.CHECKPOINTS, job + "/missing", teacherEvent(job, "store:teachers/" + job + "-none", sha));
        probe.send(Topics.CHECKPOINTS, job + "/tampered", teacherEvent(job, uri, "0".repeat(64)));

        assertThat(reasonOf(probe, job + "/dotdot"))
                .isEqualTo("CheckpointEvent.uri: path outside the model store root: store:../" + job);
        assertThat(reasonOf(probe, job + "/absolute"))
                .isEqualTo("CheckpointEvent.uri: model store URI must name a relative path: store:/etc");
        assertThat(reasonOf(probe, job + "/link")).isEqualTo("CheckpointEvent.uri: path leaves the model store"
                + " through a link: store:teachers/" + job + "-link");
        assertThat(reasonOf(probe, job + "/missing")).isEqualTo("CheckpointEvent.uri: store:teachers/" + job
                + "-none holds no model.safetensors");
        assertThat(reasonOf(probe, job + "/tampered")).isEqualTo("CheckpointEvent.sha256: " + "0".repeat(64)
                + " does not match " + uri + "/model.safetensors (" + sha + ")");
        probe.awaitDeadLetters(before, Topics.CHECKPOINTS, "path_outside_store", 3);
        probe.awaitDeadLetters(before, Topics.CHECKPOINTS, "missing_file", 1);
        probe.awaitDeadLetters(before, Topics.CHECKPOINTS, "tampered_checkpoint", 1);
    }

    @Test
    void httpShouldNeedTheTokenExceptProbesAndMetricsAndRefuseOversizedBodies() {
        ApiGuardCheck.assertGuarded();
    }

    private static void send(BadRecordProbe probe, SourceExample example) {
        probe.send(Topics.EXAMPLES, Topics.exampleKey(example.getHeader().getJobId(), example.getExampleId()),
                WireCodecs.SOURCE_EXAMPLE.encode(example));
    }

    private static String reasonOf(BadRecordProbe probe, String key) {
        return WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(key)).getReason();
    }

    private static byte[] teacherEvent(String job, String uri, String sha256) {
        return WireCodecs.CHECKPOINT_EVENT.encode(CheckpointEvent.newBuilder().setHeader(header(job))
                .setRole(ModelRole.TEACHER).setFinal(true).setUri(uri).setSha256(sha256).build());
    }

    private static JobSpec spec(String job) {
        return JobSpec.newBuilder().setHeader(header(job)).setTask("style")
                .setPseudoTargets(PseudoTargetSpec.newBuilder().setNumPseudoTargets(1))
                .setTraining(TrainingSpec.newBuilder().setMaxSourceTokens(48).setMaxTargetTokens(16))
                .build();
    }

    private static SourceExample example(String job, String id) {
        return SourceExample.newBuilder().setHeader(header(job)).setExampleId(id).setSplit(Split.TRAIN)
                .setSource("Good morrow.").addReferences("Good morning.").build();
    }

    private static RecordHeader header(String job) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job).build();
    }
}
