package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;

/** Kafka serializer for {@link CheckpointEvent} records; configurable by class name. */
public final class CheckpointEventSerializer extends WireSerializer<CheckpointEvent> {

    public CheckpointEventSerializer() {
        super(WireCodecs.CHECKPOINT_EVENT);
    }
}
