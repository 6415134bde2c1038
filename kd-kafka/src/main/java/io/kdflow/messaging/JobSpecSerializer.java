package io.kdflow.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.JobSpec;

/** Kafka serializer for {@link JobSpec} records; configurable by class name. */
public final class JobSpecSerializer extends WireSerializer<JobSpec> {

    public JobSpecSerializer() {
        super(WireCodecs.JOB_SPEC);
    }
}
