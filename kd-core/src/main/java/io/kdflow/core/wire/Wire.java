package io.kdflow.core.wire;

import com.google.protobuf.Message;
import java.util.List;

/** Entry point to the kdflow.v1 wire format: which record type travels on which topic, with its codec. */
public final class Wire {

    /** The schema version this code writes and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;

    private static final List<String> TOPICS = Topics.all();
    private static final List<WireCodec<?>> CODECS = WireCodecs.all();

    private Wire() {
    }

    /** The codec of the records on {@code topic}. */
    public static WireCodec<?> codecForTopic(String topic) {
        int index = TOPICS.indexOf(topic);
        if (index < 0) {
            throw new IllegalArgumentException("unknown topic \"" + topic + "\"; kdflow.v1 topics are " + TOPICS);
        }
        return CODECS.get(index);
    }

    /** The codec of {@code recordClass}, e.g. {@code Wire.codecFor(PseudoTarget.class)}. */
    public static <T extends Message> WireCodec<T> codecFor(Class<T> recordClass) {
        @SuppressWarnings("unchecked")
        WireCodec<T> codec = (WireCodec<T>) CODECS.get(indexOf(recordClass));
        return codec;
    }

    /** The topic that carries {@code recordClass}. */
    public static String topicOf(Class<? extends Message> recordClass) {
        return TOPICS.get(indexOf(recordClass));
    }

    private static int indexOf(Class<? extends Message> recordClass) {
        for (int i = 0; i < CODECS.size(); i++) {
            if (CODECS.get(i).recordClass().equals(recordClass)) {
                return i;
            }
        }
        throw new IllegalArgumentException(recordClass.getName() + " is not a kdflow.v1 record type");
    }
}
