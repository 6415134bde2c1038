package io.kdflow.cli;

import io.kdflow.core.error.BadInputException;

/**
 * Bad input found by the command line itself (a file, field or option the user can fix). It is a
 * {@link BadInputException}, so {@link UserErrorHandler} prints it as one line and exits with
 * {@link BadInputException#EXIT_CODE}, like the bad input kd-core reports.
 */
public final class UserError extends BadInputException {

    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
