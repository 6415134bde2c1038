package io.kdflow.trainer.messaging;

/** Channel names of student-trainer (topics are mapped in application.properties). */
final class TrainerChannels {

    /** Incoming: {@code kdflow.jobs.v1}. */
    static final String JOBS = "jobs";

    /** Incoming: {@code kdflow.pseudo-targets.v1}. */
    static final String PSEUDO_TARGETS = "pseudo-targets";

    /** Incoming: {@code kdflow.checkpoints.v1} (the teacher-ready events). */
    static final String TEACHERS = "teachers";

    /** Outgoing: {@code kdflow.checkpoints.v1}. */
    static final String CHECKPOINTS = "checkpoints";

    private TrainerChannels() {}
}
