package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.StudentScores;

/** Kafka serializer for {@link StudentScores} records; configurable by class name. */
public final class StudentScoresSerializer extends WireSerializer<StudentScores> {

    public StudentScoresSerializer() {
        super(WireCodecs.STUDENT_SCORES);
    }
}
