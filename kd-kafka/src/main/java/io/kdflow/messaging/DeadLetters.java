package io.kdflow.messaging;

import com.google.protobuf.ByteString;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Builds the {@link DeadLetter} for a record a service could not process: where it came from, its key and
 * value bytes unchanged, a one-line reason and the error class, so it can be inspected and replayed. A
 * service never dies on a bad record; it publishes this to {@link Topics#DEAD_LETTERS} and moves on.
 */
public final class DeadLetters {

    /** Reasons longer than this are cut (a dead letter is for people and dashboards, not for stack traces). */
    static final int MAX_REASON_LENGTH = 1_000;
    /** Partition or offset of a record whose position is unknown (e.g. a failed deserialization). */
    public static final int UNKNOWN = -1;

    private final String service;
    private final Clock clock;

    /** @param service the rejecting service, e.g. {@code pt-sampler} */
    public DeadLetters(String service) {
        this(service, Clock.systemUTC());
    }

    public DeadLetters(String service, Clock clock) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must not be empty");
        }
        this.service = service;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The dead letter of a consumed record (raw bytes, as the broker delivered them). */
    public DeadLetter of(ConsumerRecord<byte[], byte[]> record, Throwable error) {
        return of(record.topic(), record.partition(), record.offset(), record.key(), record.value(), error);
    }

    /**
     * The dead letter of a record known by its parts; {@link #UNKNOWN} for a partition or offset the caller
     * does not have. The job id comes from the key where the topic's keys carry one.
     */
    public DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value, Throwable error) {
        Objects.requireNonNull(error, "error");
        String jobId = key == null ? ""
                : Topics.jobIdOfKey(topic, new String(key, StandardCharsets.UTF_8)).orElse("");
        return DeadLetter.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(jobId)
                        .setProvenance(Provenance.newBuilder().setProducer(service))
                        .setCreatedUnixMs(clock.millis()))
                .setService(service)
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setKey(key == null ? ByteString.EMPTY : ByteString.copyFrom(key))
                .setValue(value == null ? ByteString.EMPTY : ByteString.copyFrom(value))
                .setReason(reasonOf(topic, value, error))
                .setErrorClass(errorClassOf(error).getName())
                .build();
    }

    /** The record to publish: on the dead-letter topic, under the rejected record's key (null when it had none). */
    public static ProducerRecord<byte[], byte[]> toProducerRecord(DeadLetter letter) {
        byte[] key = letter.getKey().isEmpty() ? null : letter.getKey().toByteArray();
        return new ProducerRecord<>(Topics.DEAD_LETTERS, key, WireCodecs.DEAD_LETTER.encode(letter));
    }

    /**
     * The reason of a record from {@code topic}: {@link #reasonOf(Throwable)}, plus the record type the bytes are
     * when a wire-contract failure is a record of the wrong type.
     */
    static String reasonOf(String topic, byte[] value, Throwable error) {
        String reason = reasonOf(error);
        if (DeadLetterReason.of(topic, value, error) == DeadLetterReason.WRONG_TYPE) {
            String type = DeadLetterReason.otherRecordType(topic, value).orElse("another type");
            return cut(reason + " | the value is a valid " + type + " record: the wrong record type for " + topic);
        }
        return reason;
    }

    /** The first message along the cause chain, on one line and cut to a readable length. */
    static String reasonOf(Throwable error) {
        String message = null;
        for (Throwable cause = error; cause != null && message == null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                message = cause.getMessage();
            }
        }
        if (message == null) {
            message = rootCause(error).getClass().getSimpleName() + " without a message";
        }
        return cut(message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " | "));
    }

    private static String cut(String line) {
        return line.length() <= MAX_REASON_LENGTH ? line : line.substring(0, MAX_REASON_LENGTH - 3) + "...";
    }

    /**
     * The class dead letters are grouped by: {@link WireFormatException} for records that break the wire
     * contract (however the framework wrapped it), otherwise the root cause.
     */
    static Class<? extends Throwable> errorClassOf(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof WireFormatException) {
                return cause.getClass();
            }
        }
        return rootCause(error).getClass();
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
