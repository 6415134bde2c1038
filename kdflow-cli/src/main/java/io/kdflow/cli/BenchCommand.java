package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow bench}: placeholder until issue #3 (model engine) lands. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure train and sampling tokens/s of a model config. (not available yet)")
final class BenchCommand extends PendingCommand {

    @Override
    String arrivesWith() {
        return "issue #3 (model engine)";
    }
}
