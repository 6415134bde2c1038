package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow generate}: placeholder until issue #3 (model engine) lands. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate with a model: greedy, beam search or sampling; JSONL in, JSONL out. (not available yet)")
final class GenerateCommand extends PendingCommand {

    @Override
    String arrivesWith() {
        return "issue #3 (model engine)";
    }
}
