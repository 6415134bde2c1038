package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.SourceExample;

/** Kafka serializer for {@link SourceExample} records; configurable by class name. */
public final class SourceExampleSerializer extends WireSerializer<SourceExample> {

    public SourceExampleSerializer() {
        super(WireCodecs.SOURCE_EXAMPLE);
    }
}
