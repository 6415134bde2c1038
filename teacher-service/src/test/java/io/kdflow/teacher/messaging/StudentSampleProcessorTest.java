package io.kdflow.teacher.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** teacher-service against a real broker: student samples in, scores out, bad records dead-lettered. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class StudentSampleProcessorTest {

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldAnswerEachStudentSampleWithScoresForTheSameRequest() {
        StudentSample sample = sample("job-echo", "req-1", List.of(0, 713, 42, 2));

        kafka.send(Topics.STUDENT_SAMPLES, key("req-1"), WireCodecs.STUDENT_SAMPLE.encode(sample));

        StudentScores scores = WireCodecs.STUDENT_SCORES.decode(
                kafka.awaitRecord(Topics.STUDENT_SCORES, r -> keyOf(r.key()).equals("req-1")).value());
        assertThat(scores.getRequestId()).isEqualTo("req-1");
        assertThat(scores.getExampleId()).isEqualTo("ex-req-1");
        assertThat(scores.getStudentStep()).isEqualTo(12);
        SparseDistribution distribution = SparseDistribution.fromProto(scores.getDistribution());
        assertThat(distribution.positions()).isEqualTo(4);
        assertThat(distribution.k()).isEqualTo(1);
        assertThat(distribution.tokenIds()).containsExactly(0, 713, 42, 2);
        assertThat(distribution.logProbs()).containsOnly(0f);
        assertThat(scores.getHeader().getProvenance().getProducer()).endsWith("/echo");
    }

    @Test
    void shouldDeadLetterATokenOutsideTheVocabularyAndKeepServing() {
        StudentSample bad = sample("job-vocab", "req-bad", List.of(5, 60_000));
        kafka.send(Topics.STUDENT_SAMPLES, key("req-bad"), WireCodecs.STUDENT_SAMPLE.encode(bad));
        StudentSample good = sample("job-vocab", "req-good", List.of(5, 6));
        kafka.send(Topics.STUDENT_SAMPLES, key("req-good"), WireCodecs.STUDENT_SAMPLE.encode(good));

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r.key()).equals("req-bad")).value());
        assertThat(letter.getService()).isEqualTo("teacher");
        assertThat(letter.getReason()).contains("token 60000 outside the teacher vocabulary [0, 50265)");
        assertThat(kafka.awaitRecord(Topics.STUDENT_SCORES, r -> keyOf(r.key()).equals("req-good"))).isNotNull();

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_teacher_records_total{outcome=\"scored\"}"))
                .body(containsString("kdflow_teacher_records_total{outcome=\"dead_letter\"}"));
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
    }

    private static StudentSample sample(String job, String requestId, List<Integer> tokens) {
        return StudentSample.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setRequestId(requestId)
                .setExampleId("ex-" + requestId)
                .setStudentStep(12)
                .addAllSourceTokenIds(List.of(0, 10, 11, 2))
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
