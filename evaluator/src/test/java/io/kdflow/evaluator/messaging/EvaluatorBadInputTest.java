package io.kdflow.evaluator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.evaluator.testing.TestCheckpoints;
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
 * evaluator's rows of the bad-input matrix: corrupt bytes and a record of the wrong type on each consumed topic
 * (jobs, checkpoints) are dead-lettered with the reason and counted in
 * {@code kdflow_dead_letters_total{service,topic,reason}}, and a valid record after them is processed; a final
 * checkpoint event naming a path outside the store, or a checkpoint with a file linked out of it, is dead-lettered
 * before anything is hashed or loaded; the HTTP endpoints sit behind {@code kdflow.api.token}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class EvaluatorBadInputTest {

    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final String SERVICE = "evaluator";
    private static final String RECORDS = "kdflow_evaluator_records_total";

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
        JobSpec badMetric = badSpec(job).toBuilder().clearTraining()
                .setEvaluation(EvaluationSpec.newBuilder().setSelectionMetric("nonsense")).build();
        probe.send(Topics.JOBS, job, WireCodecs.JOB_SPEC.encode(badMetric));

        probe.assertCorruptAndWrongType(before, Topics.JOBS, "JobSpec", job + "-corrupt",
                job + "-wrong", "SourceExample");
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job)).getReason())
                .contains("selection_metric: 'nonsense' is unknown (one of ");
        probe.awaitDeadLetters(before, Topics.JOBS, "bad_value", 1);
    }

    @Test
    void checkpointsTopicShouldDeadLetterCorruptBytesAWrongTypeAndPathsOutsideTheStoreAndKeepServing()
            throws Exception {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-cp-" + RUN;
        Path store = Path.of("target/test-model-store");
        Path checkpoint = Files.createDirectories(store.resolve(job).resolve("student").resolve("step-9"));
        Path outside = Files.createTempDirectory("kdflow-outside");
        Files.writeString(outside.resolve("config.json"), "{}");
        Files.createSymbolicLink(checkpoint.resolve("config.json"), outside.resolve("config.json").toAbsolutePath());
        probe.sendCorrupt(Topics.CHECKPOINTS, job + "/corrupt");
        probe.send(Topics.CHECKPOINTS, job + "/wrong", WireCodecs.JOB_SPEC.encode(badSpec(job)));
        probe.send(Topics.CHECKPOINTS, job + "/dotdot", finalEvent(job, "store:" + job + "/../../outside"));
        probe.send(Topics.CHECKPOINTS, job + "/link", finalEvent(job, "store:" + job + "/student/step-9"));
        probe.send(Topics.CHECKPOINTS, job + "/student", WireCodecs.CHECKPOINT_EVENT.encode(studentEvent(job, false)));

        probe.assertCorruptAndWrongType(before, Topics.CHECKPOINTS, "CheckpointEvent", job + "/corrupt",
                job + "/wrong", "JobSpec");
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/dotdot")).getReason())
                .contains("path outside the model store root: store:" + job + "/../../outside");
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/link")).getReason())
                .contains("checkpoint store:" + job + "/student/step-9: file config.json leaves the model store"
                        + " through a link");
        probe.awaitGrowth(before, RECORDS, Map.of("outcome", "not_final"), 1);
        probe.awaitDeadLetters(before, Topics.CHECKPOINTS, "path_outside_store", 2);
    }

    @Test
    void checkpointsWithAMissingOrTamperedFileShouldBeDeadLetteredBeforeLoadingAndCounted() throws Exception {
        BadRecordProbe probe = probe();
        String before = probe.snapshot();
        String job = "job-bi-files-" + RUN;
        CheckpointEvent missing = TestCheckpoints.eventFor(job, ModelRole.STUDENT, 1,
                TestCheckpoints.copyBartTiny(job, "step-1"));
        Files.delete(TestCheckpoints.directory(job, "step-1").resolve("tokenizer.json"));
        CheckpointEvent tampered = TestCheckpoints.eventFor(job, ModelRole.STUDENT, 2,
                TestCheckpoints.copyBartTiny(job, "step-2"));
        Files.writeString(TestCheckpoints.directory(job, "step-2").resolve("config.json"), "{}");
        probe.send(Topics.CHECKPOINTS, job + "/missing", WireCodecs.CHECKPOINT_EVENT.encode(missing));
        probe.send(Topics.CHECKPOINTS, job + "/tampered", WireCodecs.CHECKPOINT_EVENT.encode(tampered));

        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/missing")).getReason())
                .endsWith(": listed file tokenizer.json is missing");
        assertThat(WireCodecs.DEAD_LETTER.decode(probe.deadLetterOf(job + "/tampered")).getReason())
                .endsWith(": file config.json differs from its manifest entry (size or sha256)");
        probe.awaitDeadLetters(before, Topics.CHECKPOINTS, "missing_file", 1);
        probe.awaitDeadLetters(before, Topics.CHECKPOINTS, "tampered_checkpoint", 1);
    }

    private static byte[] finalEvent(String job, String uri) {
        return WireCodecs.CHECKPOINT_EVENT.encode(studentEvent(job, true).toBuilder().setUri(uri).build());
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
