package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;

/** Kafka deserializer for {@link DeadLetter} records; configurable by class name. */
public final class DeadLetterDeserializer extends WireDeserializer<DeadLetter> {

    public DeadLetterDeserializer() {
        super(WireCodecs.DEAD_LETTER);
    }
}
