package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;

/** Kafka deserializer for {@link CheckpointEvent} records; configurable by class name. */
public final class CheckpointEventDeserializer extends WireDeserializer<CheckpointEvent> {

    public CheckpointEventDeserializer() {
        super(WireCodecs.CHECKPOINT_EVENT);
    }
}
