package io.kdflow.evaluator.messaging;

/** Channel names of the evaluator (topics are mapped in application.properties). */
final class EvaluatorChannels {

    /** Incoming: {@code kdflow.checkpoints.v1}. */
    static final String CHECKPOINTS = "checkpoints";

    /** Outgoing: {@code kdflow.eval-reports.v1}. */
    static final String EVAL_REPORTS = "eval-reports";

    private EvaluatorChannels() {}
}
