package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow prune}: placeholder until issue #3 (model engine) lands. */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "Keep chosen encoder/decoder layers of a model (weights copied) and save it. (not available yet)")
final class PruneCommand extends PendingCommand {

    @Override
    String arrivesWith() {
        return "issue #3 (model engine)";
    }
}
