package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow score}: placeholder until issue #3 (model engine) lands. */
@Command(name = "score", mixinStandardHelpOptions = true, description = "Teacher-forced mean token NLL of each target given its source. (not available yet)")
final class ScoreCommand extends PendingCommand {

    @Override
    String arrivesWith() {
        return "issue #3 (model engine)";
    }
}
