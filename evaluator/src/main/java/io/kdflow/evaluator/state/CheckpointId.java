package io.kdflow.evaluator.state;

import io.kdflow.core.wire.proto.ModelRole;

/** What makes a checkpoint evaluation unique: a redelivered event carries the same four values. */
public record CheckpointId(String job, ModelRole role, long step, String sha256) {

    @Override
    public String toString() {
        return job + "/" + role.name().toLowerCase(java.util.Locale.ROOT) + "/" + Long.toUnsignedString(step) + "/"
                + sha256;
    }
}
