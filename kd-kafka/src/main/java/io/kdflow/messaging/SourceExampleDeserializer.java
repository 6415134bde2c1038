package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.SourceExample;

/** Kafka deserializer for {@link SourceExample} records; configurable by class name. */
public final class SourceExampleDeserializer extends WireDeserializer<SourceExample> {

    public SourceExampleDeserializer() {
        super(WireCodecs.SOURCE_EXAMPLE);
    }
}
