package io.kdflow.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.TopicPartitionOffset;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * student-trainer against a real broker in materialize mode: a JobSpec and targets in, checkpoint events out
 * (every 2 new targets, as the spec says), redelivered targets stored once, bad records dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class PseudoTargetConsumerTest {

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    /** The trainer's local target store outlives a test run: each run uses fresh job ids. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    @Test
    void shouldCheckpointEveryTwoNewTargetsAndIgnoreRedeliveries() {
        String job = "job-ckpt-" + RUN;
        sendSpec(job);
        send(target(job, "a"));
        send(target(job, "b"));
        CheckpointEvent first = awaitCheckpoint(job, 2);

        send(target(job, "a"));
        send(target(job, "c"));
        send(target(job, "d"));
        CheckpointEvent second = awaitCheckpoint(job, 4);

        assertThat(first.getRole()).isEqualTo(ModelRole.STUDENT);
        assertThat(first.getUri()).isEqualTo("store:" + job + "/student/step-00000002");
        assertThat(second.getConsumedList()).allSatisfy(offset ->
                assertThat(offset.getTopic()).isEqualTo(Topics.PSEUDO_TARGETS));
        assertThat(second.getConsumedList().stream().mapToLong(TopicPartitionOffset::getOffset).sum())
                .as("next offsets cover the five records sent").isGreaterThanOrEqualTo(5);
        Path directory = new ModelStore(Path.of("target/test-model-store")).resolve(second.getUri());
        CheckpointManifest manifest = CheckpointManifest.verify(directory, second.getSha256());
        assertThat(manifest.step()).isEqualTo(4);
        assertThat(manifest.properties()).containsEntry("mode", "materialize").containsEntry("targets", "4");
    }

    @Test
    void shouldDeadLetterAJobIdThatCannotNameADirectory() {
        String job = "job-after-" + RUN;
        sendSpec(job);
        send(target("bad job!", "x-" + RUN));
        send(target(job, "y"));
        send(target(job, "z"));

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r).equals("bad job!/x-" + RUN)).value());
        assertThat(letter.getService()).isEqualTo("trainer");
        assertThat(letter.getReason()).contains("job id 'bad job!' must be 1-128 characters of [A-Za-z0-9._-]");
        assertThat(awaitCheckpoint(job, 2).getStep()).isEqualTo(2);

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_trainer_records_total{outcome=\"checkpointed\"}"))
                .body(containsString("kdflow_trainer_records_total{outcome=\"dead_letter\"}"));
    }

    private CheckpointEvent awaitCheckpoint(String job, long step) {
        return WireCodecs.CHECKPOINT_EVENT.decode(kafka.awaitRecord(Topics.CHECKPOINTS, r -> {
            CheckpointEvent event = WireCodecs.CHECKPOINT_EVENT.decode(r.value());
            return event.getHeader().getJobId().equals(job) && event.getStep() == step;
        }).value());
    }

    /** Materialize mode (the test profile) counts targets as steps: a checkpoint every 2 new targets. */
    private void sendSpec(String job) {
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("style")
                .setTraining(TrainingSpec.newBuilder().setCheckpointEverySteps(2))
                .build();
        kafka.send(Topics.JOBS, job.getBytes(StandardCharsets.UTF_8), WireCodecs.JOB_SPEC.encode(spec));
    }

    private void send(PseudoTarget target) {
        String key = Topics.exampleKey(target.getHeader().getJobId(), target.getExampleId());
        kafka.send(Topics.PSEUDO_TARGETS, key.getBytes(StandardCharsets.UTF_8), WireCodecs.PSEUDO_TARGET.encode(target));
    }

    private static PseudoTarget target(String job, String exampleId) {
        return PseudoTarget.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setExampleId(exampleId)
                .setSplit(Split.TRAIN)
                .setKind(PseudoTarget.Kind.PASS_THROUGH)
                .setNumPseudoTargets(1)
                .setSource("source " + exampleId)
                .setText("target " + exampleId)
                .build();
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }
}
