package io.kdflow.cli;

import io.kdflow.kafka.QuietLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./kdflow} entry point: one subcommand per user task (docs/cli.md).
 *
 * <p>Errors a user can fix (bad files, bad options) end as one line on stderr and exit code 2; a bug ends
 * with its stack trace and exit code 70; see {@link UserErrorHandler}.
 */
@Command(
        name = "kdflow",
        mixinStandardHelpOptions = true,
        versionProvider = KdflowVersion.class,
        description = "Distill text-generation models with pseudo-target training (Calderon et al., ACL 2023).",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ChaosCommand.class,
            DistillCommand.class,
            StudyCommand.class,
            GenerateCommand.class,
            ScoreCommand.class,
            MetricsCommand.class,
            PruneCommand.class,
            TokenizerCommand.class,
            TeacherCommand.class,
            BenchCommand.class,
            KafkaCommand.class,
            SoakCommand.class,
            CommandLine.HelpCommand.class
        })
public final class KdflowCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        QuietLogging.applyDefaults();
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new KdflowCommand());
        commandLine.setExecutionExceptionHandler(new UserErrorHandler());
        return commandLine;
    }
}
