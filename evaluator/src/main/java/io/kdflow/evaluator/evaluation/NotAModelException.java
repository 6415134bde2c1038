package io.kdflow.evaluator.evaluation;

/** A checkpoint directory the evaluator cannot evaluate: no model files, or an unsupported architecture. */
public class NotAModelException extends IllegalArgumentException {

    public NotAModelException(String message) {
        super(message);
    }
}
