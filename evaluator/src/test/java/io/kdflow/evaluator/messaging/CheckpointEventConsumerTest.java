package io.kdflow.evaluator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * evaluator against a real broker: checkpoint events in, one report per checkpoint out (redeliveries
 * ignored), checkpoints that fail verification dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class CheckpointEventConsumerTest {

    private static final Path STORE = Path.of("target/test-model-store");

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldReportEachVerifiedCheckpointOnce() throws IOException {
        CheckpointEvent event = checkpoint("job-eval", 10);
        send(event);
        send(event);
        send(checkpoint("job-eval", 20));

        List<EvalReport> reports = awaitReports("job-eval", 2).stream().filter(r -> r.getStep() == 10).toList();

        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.getRole()).isEqualTo(ModelRole.STUDENT);
            assertThat(report.getCheckpointUri()).isEqualTo("store:job-eval/step-10");
            assertThat(report.getCheckpointSha256()).isEqualTo(event.getSha256());
            assertThat(report.getMetricsMap()).containsEntry("checkpoint_files", 2.0)
                    .containsEntry("checkpoint_bytes", 9.0);
        });
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_evaluator_records_total{outcome=\"duplicate\"} 1.0"));
    }

    @Test
    void shouldDeadLetterTamperedOrEscapingCheckpointsAndKeepServing() throws IOException {
        CheckpointEvent tampered = checkpoint("job-tamper", 1);
        Files.writeString(STORE.resolve("job-tamper/step-1/config.json"), "{\"x\":2}");
        send(tampered);
        send(tampered.toBuilder().setHeader(tampered.getHeader().toBuilder().setJobId("job-escape"))
                .setUri("store:../../etc").build());
        send(checkpoint("job-fine", 3));

        assertThat(deadLetterOf("job-tamper").getReason()).contains("file config.json differs from its manifest entry");
        assertThat(deadLetterOf("job-escape").getReason()).contains("path outside the model store root");
        assertThat(awaitReports("job-fine", 1)).singleElement().extracting(EvalReport::getStep).isEqualTo(3L);
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
    }

    private DeadLetter deadLetterOf(String job) {
        return WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r).startsWith(job + "/")).value());
    }

    /** Every report of {@code job} on the topic, once at least {@code count} arrived. */
    private List<EvalReport> awaitReports(String job, int count) {
        return kafka.awaitMatching(Topics.EVAL_REPORTS, count,
                        r -> WireCodecs.EVAL_REPORT.decode(r.value()).getHeader().getJobId().equals(job))
                .stream().map(r -> WireCodecs.EVAL_REPORT.decode(r.value())).toList();
    }

    /** A two-file checkpoint (9 bytes in all) under {@code <job>/step-<n>} with its manifest. */
    private static CheckpointEvent checkpoint(String job, long step) throws IOException {
        Path directory = Files.createDirectories(STORE.resolve(job).resolve("step-" + step));
        Files.writeString(directory.resolve("config.json"), "{\"a\":1}");
        Files.writeString(directory.resolve("weights.bin"), "ab");
        String sha = CheckpointManifest.write(directory, step, Map.of(), Map.of());
        return CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setRole(ModelRole.STUDENT)
                .setStep(step)
                .setUri("store:" + job + "/step-" + step)
                .setSha256(sha)
                .build();
    }

    private void send(CheckpointEvent event) {
        String key = Topics.checkpointKey(event.getHeader().getJobId(), event.getRole());
        kafka.send(Topics.CHECKPOINTS, key.getBytes(StandardCharsets.UTF_8), WireCodecs.CHECKPOINT_EVENT.encode(event));
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }
}
