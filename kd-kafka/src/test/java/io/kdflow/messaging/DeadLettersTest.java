package io.kdflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.core.wire.proto.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_764_201_600_123L), ZoneOffset.UTC);
    private final DeadLetters deadLetters = new DeadLetters("pt-sampler", CLOCK);

    @Test
    void shouldRecordWhereABadRecordCameFromAndKeepItsBytes() {
        byte[] key = "demo-1/train-9".getBytes(StandardCharsets.UTF_8);
        byte[] value = {(byte) 0xff, 0x01, 0x02};
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>(Topics.EXAMPLES, 3, 1287L, key, value);
        Throwable failure = catchThrowable(() -> WireCodecs.SOURCE_EXAMPLE.decode(value));

        DeadLetter letter = deadLetters.of(consumed, failure);

        assertThat(letter.getService()).isEqualTo("pt-sampler");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.EXAMPLES);
        assertThat(letter.getSourcePartition()).isEqualTo(3);
        assertThat(letter.getSourceOffset()).isEqualTo(1287L);
        assertThat(letter.getKey().toByteArray()).isEqualTo(key);
        assertThat(letter.getValue().toByteArray()).isEqualTo(value);
        assertThat(letter.getReason()).startsWith("SourceExample: not a valid protobuf encoding (3 bytes)")
                .doesNotContain("\n");
        assertThat(letter.getErrorClass()).isEqualTo(WireFormatException.class.getName());
        assertThat(letter.getHeader().getJobId()).isEqualTo("demo-1");
        assertThat(letter.getHeader().getCreatedUnixMs()).isEqualTo(1_764_201_600_123L);
        assertThat(letter.getHeader().getProvenance().getProducer()).isEqualTo("pt-sampler");
    }

    @Test
    void shouldPublishUnderTheRejectedKeyOnTheDeadLetterTopic() {
        DeadLetter letter = deadLetters.of(Topics.PSEUDO_TARGETS, 0, 7, "demo-1/dev-3".getBytes(StandardCharsets.UTF_8),
                new byte[] {9}, new IllegalStateException("teacher timed out"));

        ProducerRecord<byte[], byte[]> record = DeadLetters.toProducerRecord(letter);

        assertThat(record.topic()).isEqualTo("kdflow.dead-letters.v1");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("demo-1/dev-3");
        assertThat(WireCodecs.DEAD_LETTER.decode(record.value())).isEqualTo(letter);
    }

    @Test
    void shouldHandleRecordsWithoutKeyValueOrKnownJob() {
        DeadLetter letter = deadLetters.of(Topics.STUDENT_SAMPLES, DeadLetters.UNKNOWN, DeadLetters.UNKNOWN, null,
                null, new NullPointerException());

        assertThat(letter.getHeader().getJobId()).isEmpty();
        assertThat(letter.getKey().isEmpty()).isTrue();
        assertThat(letter.getValue().isEmpty()).isTrue();
        assertThat(letter.getReason()).isEqualTo("NullPointerException without a message");
        assertThat(DeadLetters.toProducerRecord(letter).key()).isNull();
        assertThat(WireCodecs.DEAD_LETTER.decode(WireCodecs.DEAD_LETTER.encode(letter))).isEqualTo(letter);
    }

    @Test
    void shouldStillBuildAPublishableLetterForAKeyThatIsNoJobId() {
        DeadLetter letter = deadLetters.of(Topics.JOBS, 0, 1, "a/b".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0x80}, new IllegalArgumentException(" "));

        assertThat(letter.getHeader().getJobId()).isEmpty();
        assertThat(letter.getReason()).isEqualTo("IllegalArgumentException without a message");
        assertThat(DeadLetters.toProducerRecord(letter).value()).isNotEmpty();
    }

    @Test
    void shouldFlattenAMultiLineReasonAndCutALongOne() {
        Exception wrapped = new RuntimeException(null, new IllegalArgumentException("line one\r\n  line two\n"));

        assertThat(DeadLetters.reasonOf(wrapped)).isEqualTo("line one | line two");
        assertThat(DeadLetters.reasonOf(new RuntimeException("x".repeat(5_000))))
                .hasSize(DeadLetters.MAX_REASON_LENGTH).endsWith("...");
    }

    @Test
    void shouldGroupByTheRootCauseWhenTheWireContractIsNotInvolved() {
        Exception failure = new IllegalStateException("step failed", new ArithmeticException("/ by zero"));

        assertThat(DeadLetters.errorClassOf(failure)).isEqualTo(ArithmeticException.class);
        assertThat(DeadLetters.reasonOf(failure)).isEqualTo("step failed");
    }

    @Test
    void shouldRequireAServiceName() {
        assertThatThrownBy(() -> new DeadLetters(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service must not be empty");
    }
}
