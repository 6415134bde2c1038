package io.kdflow.core.error;

/**
 * Input the user or an upstream producer can fix: a malformed record, file, line, field, option or setting.
 * Every validator throws this type (or a subclass), with a message that names where (file and line, record
 * field, config key) and what is wrong. Entry points map it in one place: the CLI prints the message on one
 * line and exits with {@link #EXIT_CODE}; services dead-letter the record with the message as the reason.
 * Anything else that escapes is a programming error and keeps its stack trace.
 */
public class BadInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit code of a command line that rejects its input. */
    public static final int EXIT_CODE = 2;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
