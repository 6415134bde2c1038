package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.StudentSample;

/** Kafka serializer for {@link StudentSample} records; configurable by class name. */
public final class StudentSampleSerializer extends WireSerializer<StudentSample> {

    public StudentSampleSerializer() {
        super(WireCodecs.STUDENT_SAMPLE);
    }
}
