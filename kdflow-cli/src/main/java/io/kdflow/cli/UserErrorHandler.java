package io.kdflow.cli;

import io.kdflow.core.error.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one line on stderr: {@link UserError}, kd-core's {@link BadInputException} and
 * {@link IllegalArgumentException} (bad input detected by kd-core) keep their message; anything else is a bug
 * and keeps its stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

    static final int BUG_EXIT_CODE = 70;

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        String command = commandLine.getCommandSpec().qualifiedName();
        if (ex instanceof UserError userError) {
            commandLine.getErr().println(command + ": " + userError.getMessage());
            return userError.exitCode();
        }
        if (ex instanceof BadInputException || ex instanceof IllegalArgumentException
                || ex instanceof java.io.UncheckedIOException) {
            commandLine.getErr().println(command + ": " + ex.getMessage());
            return 1;
        }
        ex.printStackTrace(commandLine.getErr());
        return BUG_EXIT_CODE;
    }
}
