package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow distill}: placeholder until the distillation algorithms work (not filed yet) lands. */
@Command(name = "distill", mixinStandardHelpOptions = true, description = "Run the distillation algorithm in one process, without Kafka. (not available yet)")
final class DistillCommand extends PendingCommand {

    @Override
    String arrivesWith() {
        return "the distillation algorithms work (not filed yet)";
    }
}
