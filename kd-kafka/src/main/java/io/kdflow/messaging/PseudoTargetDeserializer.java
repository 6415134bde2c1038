package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.PseudoTarget;

/** Kafka deserializer for {@link PseudoTarget} records; configurable by class name. */
public final class PseudoTargetDeserializer extends WireDeserializer<PseudoTarget> {

    public PseudoTargetDeserializer() {
        super(WireCodecs.PSEUDO_TARGET);
    }
}
