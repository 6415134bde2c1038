package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.JobSpec;

/** Kafka deserializer for {@link JobSpec} records; configurable by class name. */
public final class JobSpecDeserializer extends WireDeserializer<JobSpec> {

    public JobSpecDeserializer() {
        super(WireCodecs.JOB_SPEC);
    }
}
