package io.kdflow.messaging;

import com.google.protobuf.Message;
import io.kdflow.core.wire.WireCodec;
import io.kdflow.core.wire.WireFormatException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for one kdflow.v1 record type. Bytes that are not a valid record raise Kafka's
 * {@link SerializationException}, naming the topic, with the {@link WireFormatException} as its cause; a null
 * value (tombstone) gives null.
 *
 * @param <T> the record type
 */
public abstract class WireDeserializer<T extends Message> implements Deserializer<T> {

    private final WireCodec<T> codec;

    protected WireDeserializer(WireCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return codec.decode(data);
        } catch (WireFormatException e) {
            throw new SerializationException("Cannot deserialize a record from topic " + topic + ": "
                    + e.getMessage(), e);
        }
    }
}
