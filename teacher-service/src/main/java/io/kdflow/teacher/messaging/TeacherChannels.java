package io.kdflow.teacher.messaging;

/** Channel names of teacher-service (topics are mapped in application.properties). */
final class TeacherChannels {

    /** Incoming: {@code kdflow.student-samples.v1}. */
    static final String STUDENT_SAMPLES = "student-samples";

    /** Outgoing: {@code kdflow.student-scores.v1}. */
    static final String STUDENT_SCORES = "student-scores";

    /** Incoming: {@code kdflow.jobs.v1}. */
    static final String JOBS = "jobs";

    /** Outgoing: {@code kdflow.checkpoints.v1} (teacher-ready events). */
    static final String CHECKPOINTS = "checkpoints";

    private TeacherChannels() {}
}
