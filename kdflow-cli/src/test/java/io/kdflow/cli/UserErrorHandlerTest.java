package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.error.BadInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The CLI's one mapping of exceptions: bad input is one line and exit code 2, a bug is a stack trace and exit
 * code 70, picocli's own option errors keep its usage message and exit code 2.
 */
class UserErrorHandlerTest {

    @TempDir
    Path dir;

    @Test
    void shouldPrintTheStackTraceOfAProgrammingErrorAndExit70() {
        CommandRun run = runFailing(() -> new IllegalStateException("decoder state used after close"));

        assertThat(run.exitCode()).isEqualTo(UserErrorHandler.BUG_EXIT_CODE).isEqualTo(70);
        assertThat(run.err()).startsWith("java.lang.IllegalStateException: decoder state used after close")
                .contains("\tat io.kdflow.cli.UserErrorHandlerTest$Failing.call");
    }

    @Test
    void shouldTreatIllegalArgumentAndUncheckedIoExceptionsAsBugs() {
        CommandRun argument = runFailing(() -> new IllegalArgumentException("tokens must be (2, T), got (3, 4)"));
        CommandRun io = runFailing(() -> new UncheckedIOException(new java.io.IOException("disk gone")));

        assertThat(argument.exitCode()).isEqualTo(70);
        assertThat(argument.err()).startsWith("java.lang.IllegalArgumentException: tokens must be (2, T), got (3, 4)")
                .contains("\tat ");
        assertThat(io.exitCode()).isEqualTo(70);
        assertThat(io.err()).startsWith("java.io.UncheckedIOException: java.io.IOException: disk gone").contains("\tat ");
    }

    @Test
    void shouldPrintBadInputAsOneLineNamingTheCommandAndExit2() {
        CommandRun run = runFailing(() -> new BadInputException("data.jsonl line 3, field \"source\": expected a string"));

        assertThat(run.exitCode()).isEqualTo(BadInputException.EXIT_CODE).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kdflow fail: data.jsonl line 3, field \"source\": expected a string"
                + System.lineSeparator());
    }

    @Test
    void shouldReportAnUnreadableInputOfARealCommandAsBadInput() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("not-a-file.jsonl"));

        CommandRun run = CommandRun.of("tokenizer", "train", "--input", directory.toString(), "--vocab-size", "300",
                "--output", dir.resolve("t.json").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("kdflow tokenizer train: " + directory).doesNotContain("\n");
    }

    @Test
    void shouldKeepPicocliExitCode2AndUsageForAnUnknownOption() {
        CommandRun run = CommandRun.of("generate", "--model", dir.toString(), "--input", "in.jsonl", "--output",
                "out.jsonl", "--no-such-option");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Unknown option: '--no-such-option'").contains("Usage: kdflow generate");
    }

    /** Runs the real command line with one extra subcommand that throws what {@code failure} makes. */
    private static CommandRun runFailing(Supplier<RuntimeException> failure) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = KdflowCommand.newCommandLine();
        commandLine.addSubcommand(new Failing(failure));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute("fail");
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    @Command(name = "fail")
    static final class Failing implements Callable<Integer> {

        private final Supplier<RuntimeException> failure;

        Failing(Supplier<RuntimeException> failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure.get();
        }
    }
}
