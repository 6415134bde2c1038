package io.kdflow.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * student-trainer's PT stream against a real broker: records of a job are materialized in its local store before
 * its JobSpec or teacher arrive, redeliveries stored once; a record whose job id cannot name a directory is
 * dead-lettered and the stream goes on.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class PseudoTargetConsumerTest {

    private static final Path DATA = Path.of("target/test-trainer-data");

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    /** The trainer's local target store outlives a test run: each run uses fresh job ids. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    @Test
    void shouldStoreEachRecordOnceBeforeTheJobArrives() {
        String job = "job-store-" + RUN;
        send(target(job, "a", PseudoTarget.Kind.GOLD, 0));
        send(target(job, "a", PseudoTarget.Kind.TEACHER, 0));
        send(target(job, "a", PseudoTarget.Kind.GOLD, 0)); // redelivered
        send(target(job, "a", PseudoTarget.Kind.TEACHER, 1));
        String last = "last-" + RUN;
        send(target(job, last, PseudoTarget.Kind.GOLD, 0));

        // Keys spread the examples over partitions: "a"'s records keep their order, the other example's may not.
        List<PseudoTarget> stored = awaitStored(job, 4);
        assertThat(stored).extracting(r -> r.getKind() + " " + r.getExampleId() + " " + r.getPtIndex())
                .containsExactlyInAnyOrder("GOLD a 0", "TEACHER a 0", "TEACHER a 1", "GOLD " + last + " 0");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_trainer_records_total{outcome=\"redelivered\"}"))
                .body(containsString("kdflow_trainer_records_total{outcome=\"stored\"}"));
    }

    @Test
    void shouldDeadLetterAJobIdThatCannotNameADirectory() {
        String job = "job-after-" + RUN;
        send(target("bad job!", "x-" + RUN, PseudoTarget.Kind.GOLD, 0));
        send(target(job, "y", PseudoTarget.Kind.GOLD, 0));

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r).equals("bad job!/x-" + RUN)).value());
        assertThat(letter.getService()).isEqualTo("trainer");
        assertThat(letter.getReason()).contains("job id 'bad job!' must be 1-128 characters of [A-Za-z0-9._-]");
        assertThat(awaitStored(job, 1)).extracting(PseudoTarget::getExampleId).containsExactly("y");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_trainer_records_total{outcome=\"dead_letter\"}"));
    }

    /** The job's stored records once there are {@code count} of them. */
    private static List<PseudoTarget> awaitStored(String job, int count) {
        Path file = DATA.resolve(job).resolve("targets.pb");
        for (int attempt = 0; attempt < 600; attempt++) {
            if (file.toFile().isFile()) {
                List<PseudoTarget> stored = PseudoTargetFile.readAll(file);
                if (stored.size() >= count) {
                    return stored;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(count + " records of job " + job + " not stored in " + file + " within 60 s");
    }

    private void send(PseudoTarget target) {
        String key = Topics.exampleKey(target.getHeader().getJobId(), target.getExampleId());
        kafka.send(Topics.PSEUDO_TARGETS, key.getBytes(StandardCharsets.UTF_8), WireCodecs.PSEUDO_TARGET.encode(target));
    }

    private static PseudoTarget target(String job, String exampleId, PseudoTarget.Kind kind, int ptIndex) {
        return PseudoTarget.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setExampleId(exampleId)
                .setSplit(Split.TRAIN)
                .setKind(kind)
                .setPtIndex(ptIndex)
                .setNumPseudoTargets(2)
                .setSource("source " + exampleId)
                .setText("target " + exampleId + " " + ptIndex)
                .build();
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }
}
