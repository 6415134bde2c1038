package io.kdflow.messaging;

import com.google.protobuf.Message;
import io.kdflow.core.wire.WireCodec;
import io.kdflow.core.wire.WireFormatException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for one kdflow.v1 record type: the record's protobuf bytes, after the same contract check
 * consumers run, so nothing is published that its readers would dead-letter. A null record stays null (a
 * tombstone on compacted topics).
 *
 * @param <T> the record type
 */
public abstract class WireSerializer<T extends Message> implements Serializer<T> {

    private final WireCodec<T> codec;

    protected WireSerializer(WireCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        try {
            return codec.encode(record);
        } catch (WireFormatException e) {
            throw new SerializationException("Cannot serialize " + codec.recordType() + " for topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }
}
