package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.StudentScores;

/** Kafka deserializer for {@link StudentScores} records; configurable by class name. */
public final class StudentScoresDeserializer extends WireDeserializer<StudentScores> {

    public StudentScoresDeserializer() {
        super(WireCodecs.STUDENT_SCORES);
    }
}
