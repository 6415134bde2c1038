package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow metrics}: placeholder until issue #4 (evaluation) lands. */
@Command(name = "metrics", mixinStandardHelpOptions = true, description = "BLEU, chrF, ROUGE-1/2/L F1 and their mean for predictions vs references, as JSON. (not available yet)")
final class MetricsCommand extends PendingCommand {

    @Override
    String arrivesWith() {
        return "issue #4 (evaluation)";
    }
}
