package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;

/** Kafka serializer for {@link DeadLetter} records; configurable by class name. */
public final class DeadLetterSerializer extends WireSerializer<DeadLetter> {

    public DeadLetterSerializer() {
        super(WireCodecs.DEAD_LETTER);
    }
}
