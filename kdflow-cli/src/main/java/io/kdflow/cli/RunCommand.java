package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow run}: placeholder until the streaming pipeline work (not filed yet) lands. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a job spec (JOB.yaml) on the embedded broker or an existing Kafka. (not available yet)")
final class RunCommand extends PendingCommand {

    @Override
    String arrivesWith() {
        return "the streaming pipeline work (not filed yet)";
    }
}
