package io.kdflow.cli;

import io.kdflow.core.error.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The CLI's one place that maps exceptions to exit codes. A {@link BadInputException} (kd-core's validators
 * and the CLI's {@link UserError}) is input the user can fix: one line {@code <command>: <message>} on stderr
 * and exit code {@link BadInputException#EXIT_CODE}. Anything else, {@link IllegalArgumentException} and
 * {@link java.io.UncheckedIOException} included, is a bug: its stack trace and {@link #BUG_EXIT_CODE}.
 * Picocli's own option errors never reach this handler; picocli prints them with the usage and exits with
 * its own code 2.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

    /** {@code EX_SOFTWARE} of sysexits.h: an internal error. */
    static final int BUG_EXIT_CODE = 70;

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        if (ex instanceof BadInputException badInput) {
            String command = commandLine.getCommandSpec().qualifiedName();
            commandLine.getErr().println(command + ": " + badInput.getMessage());
            return BadInputException.EXIT_CODE;
        }
        ex.printStackTrace(commandLine.getErr());
        return BUG_EXIT_CODE;
    }
}
