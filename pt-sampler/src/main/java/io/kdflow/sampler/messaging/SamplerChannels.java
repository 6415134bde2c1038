package io.kdflow.sampler.messaging;

/** Channel names of pt-sampler (topics are mapped in application.properties). */
final class SamplerChannels {

    /** Incoming: {@code kdflow.jobs.v1}. */
    static final String JOBS = "jobs";

    /** Incoming: {@code kdflow.examples.v1}. */
    static final String EXAMPLES = "examples";

    /** Outgoing: {@code kdflow.pseudo-targets.v1}. */
    static final String PSEUDO_TARGETS = "pseudo-targets";

    private SamplerChannels() {}
}
