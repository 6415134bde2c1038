package io.kdflow.core.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.Objects;

/**
 * Bytes to and from one kdflow.v1 record type: plain protobuf binary, checked against the record's contract
 * in both directions, so a producer cannot publish what a consumer would reject. The instances live in
 * {@link WireCodecs}; {@link Wire} finds them by topic or class.
 *
 * @param <T> the generated protobuf message class
 */
public final class WireCodec<T extends Message> {

    private final Class<T> recordClass;
    private final String recordType;
    private final Parser<T> parser;
    private final RecordRule<T> rule;

    WireCodec(Class<T> recordClass, T defaultInstance, RecordRule<T> rule) {
        this.recordClass = recordClass;
        this.recordType = defaultInstance.getDescriptorForType().getName();
        @SuppressWarnings("unchecked")
        Parser<T> typedParser = (Parser<T>) defaultInstance.getParserForType();
        this.parser = typedParser;
        this.rule = rule;
    }

    /** Protobuf message name, e.g. {@code PseudoTarget}. */
    public String recordType() {
        return recordType;
    }

    public Class<T> recordClass() {
        return recordClass;
    }

    /**
     * The record's wire bytes.
     *
     * @throws WireFormatException when the record breaks the contract (the same check {@link #decode} runs)
     */
    public byte[] encode(T record) {
        Objects.requireNonNull(record, () -> recordType + " to encode");
        validate(record);
        return record.toByteArray();
    }

    /**
     * Parses and checks wire bytes.
     *
     * @throws WireFormatException when the bytes are not a {@code recordType()} message or break its contract;
     *                             never any other exception
     */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new WireFormatException(recordType, "", "no bytes (null value)");
        }
        T record;
        try {
            record = parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new WireFormatException(recordType, "",
                    "not a valid protobuf encoding (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
        validate(record);
        return record;
    }

    /**
     * Checks a record against the contract.
     *
     * @throws WireFormatException naming the first broken rule
     */
    public void validate(T record) {
        rule.check(record, Violations.ofWire(recordType));
    }

    @Override
    public String toString() {
        return "WireCodec[" + recordType + "]";
    }
}
