package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.PseudoTarget;

/** Kafka serializer for {@link PseudoTarget} records; configurable by class name. */
public final class PseudoTargetSerializer extends WireSerializer<PseudoTarget> {

    public PseudoTargetSerializer() {
        super(WireCodecs.PSEUDO_TARGET);
    }
}
