package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.StudentSample;

/** Kafka deserializer for {@link StudentSample} records; configurable by class name. */
public final class StudentSampleDeserializer extends WireDeserializer<StudentSample> {

    public StudentSampleDeserializer() {
        super(WireCodecs.STUDENT_SAMPLE);
    }
}
