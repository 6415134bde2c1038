package io.kdflow.core.model.nn;

/** Whether dropout is active. Gradients are a separate switch ({@link Autograd}). */
public enum RunMode {
    /** No dropout (evaluation, decoding, teacher scoring). */
    INFERENCE,
    /** Dropout on, as in {@code model.train()}. */
    TRAINING;

    public boolean dropoutActive() {
        return this == TRAINING;
    }
}
