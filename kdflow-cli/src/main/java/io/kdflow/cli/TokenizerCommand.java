package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow tokenizer ...}: tokenizer tools. */
@Command(
        name = "tokenizer",
        mixinStandardHelpOptions = true,
        description = "Tokenizer tools.",
        subcommands = {TokenizerCommand.Train.class})
final class TokenizerCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a byte-level BPE tokenizer from JSONL text (not available yet)")
    static final class Train extends PendingCommand {
        @Override
        String arrivesWith() {
            return "issue #3 (model engine)";
        }
    }
}
