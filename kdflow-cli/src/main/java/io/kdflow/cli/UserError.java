package io.kdflow.cli;

/** A problem the user can fix (bad file, field, option); printed as one line, never as a stack trace. */
public final class UserError extends RuntimeException {

    private final int exitCode;

    public UserError(String message) {
        this(message, 1);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
