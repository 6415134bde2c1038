package io.kdflow.kafka.testing;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import java.util.Arrays;
import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The bad-input matrix's check of one consumed topic of one service, against the real broker: a record of corrupt
 * bytes and a record of the wrong type go in, then a valid one. The test then reads the dead letters by key
 * ({@link #deadLetterOf}) and asserts their reasons, and {@link #awaitGrowth} shows from the service's
 * {@code /q/metrics} that the dead-letter counter grew per reason and that the valid record after them was
 * processed (its outcome counter grew): the service kept serving.
 */
public final class BadRecordProbe {

    /** Bytes no kdflow.v1 record parses from (field 15, wire type 7 is not a protobuf wire type). */
    public static final byte[] CORRUPT = {0x7f, 0x00, 0x13, 0x37, (byte) 0xff, (byte) 0xfe};

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String DEAD_LETTERS = "kdflow_dead_letters_total";

    private final KafkaTestClient kafka;
    private final String service;
    private final Supplier<String> metrics;

    /**
     * @param service the service's name as its dead letters carry it ({@code sampler}, {@code trainer} ...)
     * @param metrics reads the service's {@code /q/metrics} text
     */
    public BadRecordProbe(KafkaTestClient kafka, String service, Supplier<String> metrics) {
        this.kafka = kafka;
        this.service = service;
        this.metrics = metrics;
    }

    /** A probe of the Quarkus service under test, reading its {@code /q/metrics} through RestAssured. */
    public static BadRecordProbe ofServiceUnderTest(KafkaTestClient kafka, String service) {
        return new BadRecordProbe(kafka, service,
                () -> RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The service's metrics now, the baseline {@link #awaitGrowth} compares with. */
    public String snapshot() {
        return metrics.get();
    }

    /** Sends {@link #CORRUPT} under {@code key}. */
    public void sendCorrupt(String topic, String key) {
        kafka.send(topic, bytes(key), CORRUPT);
    }

    /** Sends {@code value} (a valid record of another type) under {@code key}. */
    public void send(String topic, String key, byte[] value) {
        kafka.send(topic, bytes(key), value);
    }

    /** The value of the first dead letter keyed {@code key}. */
    public byte[] deadLetterOf(String key) {
        ConsumerRecord<byte[], byte[]> letter = kafka.awaitMatching("kdflow.dead-letters.v1", 1,
                r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key), TIMEOUT).get(0);
        return letter.value();
    }

    /**
     * Asserts that the dead letter keyed {@code key} is this service's rejection of {@link #CORRUPT} read from
     * {@code topic} as a {@code type}: the bytes kept unchanged, the reason naming the type.
     */
    public void assertCorrupt(String topic, String key, String type) {
        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(deadLetterOf(key));
        expect(letter.getService().equals(service), key, "service " + letter.getService() + ", expected " + service);
        expect(letter.getSourceTopic().equals(topic), key, "source topic " + letter.getSourceTopic()
                + ", expected " + topic);
        expect(Arrays.equals(letter.getValue().toByteArray(), CORRUPT), key, "the value is not the corrupt bytes sent");
        String reason = type + ": not a valid protobuf encoding (6 bytes)";
        expect(letter.getReason().startsWith(reason), key, "reason '" + letter.getReason() + "' does not start with '"
                + reason + "'");
    }

    /** Asserts that the dead letter keyed {@code key} names a valid {@code actualType} on the wrong topic. */
    public void assertWrongType(String topic, String key, String actualType) {
        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(deadLetterOf(key));
        expect(letter.getSourceTopic().equals(topic), key, "source topic " + letter.getSourceTopic()
                + ", expected " + topic);
        String reason = " | the value is a valid " + actualType + " record: the wrong record type for " + topic;
        expect(letter.getReason().endsWith(reason), key, "reason '" + letter.getReason() + "' does not end with '"
                + reason + "'");
    }

    private static void expect(boolean holds, String key, String otherwise) {
        if (!holds) {
            throw new AssertionError("dead letter " + key + ": " + otherwise);
        }
    }

    /** Waits until the sample of {@code name} with {@code labels} is at least {@code by} above {@code baseline}. */
    public void awaitGrowth(String baseline, String name, Map<String, String> labels, double by) {
        double before = PrometheusText.value(baseline, name, labels);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            double now = PrometheusText.value(metrics.get(), name, labels);
            if (now < before + by) {
                throw new AssertionError(name + labels + " is " + now + ", expected at least " + (before + by));
            }
        });
    }

    /**
     * The matrix's two rows for one consumed topic: sends {@link #CORRUPT} under {@code corruptKey} and
     * {@code wrongRecord} (a valid {@code wrongType}) under {@code wrongKey}, then asserts their dead letters (read as
     * a {@code type}) and that {@value #DEAD_LETTERS} of reasons {@code malformed} and {@code wrong_type} grew by
     * one each since {@code baseline}. Send the record that proves the consumer goes on before calling this.
     */
    public void assertCorruptAndWrongType(String baseline, String topic, String type, String corruptKey,
            String wrongKey, String wrongType) {
        assertCorrupt(topic, corruptKey, type);
        assertWrongType(topic, wrongKey, wrongType);
        awaitDeadLetters(baseline, topic, "malformed", 1);
        awaitDeadLetters(baseline, topic, "wrong_type", 1);
    }

    /** Waits until this service's dead letters from {@code topic} for {@code reason} grew by {@code by}. */
    public void awaitDeadLetters(String baseline, String topic, String reason, double by) {
        awaitGrowth(baseline, DEAD_LETTERS, Map.of("service", service, "topic", topic, "reason", reason), by);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
