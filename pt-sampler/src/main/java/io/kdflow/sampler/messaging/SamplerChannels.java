package io.kdflow.sampler.messaging;

/** Channel names of pt-sampler (topics are mapped in application.properties). */
final class SamplerChannels {

    /** Incoming: {@code kdflow.jobs.v1}. */
    static final String JOBS = "jobs";

    /** Incoming: {@code kdflow.examples.v1}. */
    static final String EXAMPLES = "examples";

    /** Incoming: {@code kdflow.checkpoints.v1} (the teacher-ready events). */
    static final String CHECKPOINTS = "checkpoints";

    /** Outgoing: {@code kdflow.pseudo-targets.v1}. */
    static final String PSEUDO_TARGETS = "pseudo-targets";

    private SamplerChannels() {}
}
