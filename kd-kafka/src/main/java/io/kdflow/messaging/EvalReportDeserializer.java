package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.EvalReport;

/** Kafka deserializer for {@link EvalReport} records; configurable by class name. */
public final class EvalReportDeserializer extends WireDeserializer<EvalReport> {

    public EvalReportDeserializer() {
        super(WireCodecs.EVAL_REPORT);
    }
}
