package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.EvalReport;

/** Kafka serializer for {@link EvalReport} records; configurable by class name. */
public final class EvalReportSerializer extends WireSerializer<EvalReport> {

    public EvalReportSerializer() {
        super(WireCodecs.EVAL_REPORT);
    }
}
