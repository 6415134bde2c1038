package io.kdflow.sampler.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * pt-sampler against a real broker: job specs and examples in, pass-through targets out, examples held until
 * their job's spec arrives (at most 3 in the test profile), bad records dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class SourceExampleProcessorTest {

    /** Jobs seen by the sampler outlive a test run only on the broker: each run uses fresh job ids here. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldPublishTheGoldTargetOfALabeledExampleAsPassThrough() {
        sendSpec("job-pass", PseudoTargetSpec.getDefaultInstance());
        SourceExample example = example("job-pass", "ex-1", "Thou art a villain.", "You are a villain.");

        kafka.send(Topics.EXAMPLES, key(example), WireCodecs.SOURCE_EXAMPLE.encode(example));

        PseudoTarget target = WireCodecs.PSEUDO_TARGET.decode(
                kafka.awaitRecord(Topics.PSEUDO_TARGETS, r -> keyOf(r.key()).equals("job-pass/ex-1")).value());
        assertThat(target.getKind()).isEqualTo(PseudoTarget.Kind.PASS_THROUGH);
        assertThat(target.getText()).isEqualTo("You are a villain.");
        assertThat(target.getSource()).isEqualTo("Thou art a villain.");
        assertThat(target.getSplit()).isEqualTo(Split.TRAIN);
        assertThat(target.hasDistribution()).isFalse();
        assertThat(target.getHeader().getProvenance().getProducer()).startsWith("pt-sampler/").endsWith("/pass-through");
    }

    @Test
    void shouldDeadLetterMalformedBytesAndKeepServing() {
        sendSpec("job-bad", PseudoTargetSpec.getDefaultInstance());
        byte[] garbage = "not a protobuf record".getBytes(StandardCharsets.UTF_8);
        kafka.send(Topics.EXAMPLES, "job-bad/ex-9".getBytes(StandardCharsets.UTF_8), garbage);
        SourceExample next = example("job-bad", "ex-10", "Good morrow.", "Good morning.");
        kafka.send(Topics.EXAMPLES, key(next), WireCodecs.SOURCE_EXAMPLE.encode(next));

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r.key()).equals("job-bad/ex-9")).value());
        assertThat(letter.getService()).isEqualTo("sampler");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.EXAMPLES);
        assertThat(letter.getValue().toByteArray()).isEqualTo(garbage);
        assertThat(letter.getReason()).startsWith("SourceExample").contains("not a valid protobuf encoding");
        PseudoTarget after = WireCodecs.PSEUDO_TARGET.decode(
                kafka.awaitRecord(Topics.PSEUDO_TARGETS, r -> keyOf(r.key()).equals("job-bad/ex-10")).value());
        assertThat(after.getText()).isEqualTo("Good morning.");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_sampler_records_total{outcome=\"dead_letter\"}"))
                .body(containsString("kdflow_sampler_records_total{outcome=\"published\"}"));
    }

    @Test
    void shouldHoldExamplesUntilTheirJobSpecArrivesUpToTheBound() {
        String job = "job-wait-" + RUN;
        for (int i = 0; i < 4; i++) {
            SourceExample example = example(job, "w" + i, "Source " + i, "Target " + i);
            kafka.send(Topics.EXAMPLES, key(example), WireCodecs.SOURCE_EXAMPLE.encode(example));
        }

        // Partitions are consumed in no fixed order: whichever example comes fourth finds the bound reached.
        ConsumerRecord<byte[], byte[]> rejected = kafka.awaitRecord(Topics.DEAD_LETTERS,
                r -> keyOf(r.key()).startsWith(job + "/w"));
        assertThat(WireCodecs.DEAD_LETTER.decode(rejected.value()).getReason()).isEqualTo("no JobSpec of job " + job
                + " on kdflow.jobs.v1 yet, and 3 examples already wait for theirs (sampler.max-held-examples=3)");

        sendSpec(job, PseudoTargetSpec.newBuilder().setNumPseudoTargets(0).build());
        for (int i = 0; i < 4; i++) {
            String id = job + "/w" + i;
            if (!id.equals(keyOf(rejected.key()))) {
                PseudoTarget target = WireCodecs.PSEUDO_TARGET.decode(
                        kafka.awaitRecord(Topics.PSEUDO_TARGETS, r -> keyOf(r.key()).equals(id)).value());
                assertThat(target.getText()).isEqualTo("Target " + i);
            }
        }
    }

    @Test
    void shouldDeadLetterABadJobSpecWithTheFieldPath() {
        String job = "job-bad-spec-" + RUN;
        sendSpec(job, PseudoTargetSpec.newBuilder().setNumPseudoTargets(65).build());

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r.key()).equals(job)).value());
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.JOBS);
        assertThat(letter.getReason())
                .isEqualTo("JobSpec.pseudo_targets.num_pseudo_targets: 65 is not allowed (must be 0..64)");
    }

    @Test
    void shouldReportHealthy() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
    }

    private void sendSpec(String job, PseudoTargetSpec pseudoTargets) {
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("style")
                .setPseudoTargets(pseudoTargets)
                .build();
        kafka.send(Topics.JOBS, job.getBytes(StandardCharsets.UTF_8), WireCodecs.JOB_SPEC.encode(spec));
    }

    private static SourceExample example(String job, String id, String source, String target) {
        return SourceExample.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setExampleId(id)
                .setSplit(Split.TRAIN)
                .setSource(source)
                .addReferences(target)
                .build();
    }

    private static byte[] key(SourceExample example) {
        return Topics.exampleKey(example.getHeader().getJobId(), example.getExampleId()).getBytes(StandardCharsets.UTF_8);
    }

    private static String keyOf(byte[] key) {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }
}
