package io.kdflow.sampler.sampling;

import io.kdflow.core.wire.proto.PseudoTarget;
import java.util.List;

/** Where the worker publishes a step's records. */
@FunctionalInterface
public interface RecordSink {

    /**
     * Publishes {@code records} and returns once the broker acknowledged every one.
     *
     * @throws IllegalStateException when the broker does not acknowledge them
     */
    void publish(List<PseudoTarget> records);
}
