package io.kdflow.evaluator.messaging;

/** Channel names of the evaluator (topics are mapped in application.properties). */
public final class EvaluatorChannels {

    /** Incoming: {@code kdflow.checkpoints.v1}. */
    public static final String CHECKPOINTS = "checkpoints";

    /** Incoming: {@code kdflow.jobs.v1} (teacher URIs and evaluation settings). */
    public static final String JOBS = "jobs";

    /** Outgoing: {@code kdflow.eval-reports.v1}. */
    public static final String EVAL_REPORTS = "eval-reports";

    private EvaluatorChannels() {}
}
