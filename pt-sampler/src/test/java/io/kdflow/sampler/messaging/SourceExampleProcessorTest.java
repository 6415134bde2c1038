package io.kdflow.sampler.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** pt-sampler against a real broker: examples in, pass-through targets out, bad records dead-lettered. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class SourceExampleProcessorTest {

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldPublishTheGoldTargetOfALabeledExampleAsPassThrough() {
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
    void shouldReportHealthy() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
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
