package io.kdflow.core.model.nn;

/**
 * How a forward pass runs. {@link #INFERENCE}: no dropout and no autograd graph (evaluation, decoding,
 * teacher scoring). {@link #TRAINING}: dropout on, as in {@code model.train()}, and operations are
 * recorded for backward. Loss arithmetic done by the caller after the model returns must itself run
 * under {@link Autograd#enabled()} (the trainer does this).
 */
public enum RunMode {
    INFERENCE,
    TRAINING;

    public boolean dropoutActive() {
        return this == TRAINING;
    }

    /** Sets libtorch's grad mode for this mode until the scope closes. */
    public Autograd.Scope gradScope() {
        return this == TRAINING ? Autograd.enabled() : Autograd.disabled();
    }
}
