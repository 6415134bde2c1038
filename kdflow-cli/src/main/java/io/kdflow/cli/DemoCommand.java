package io.kdflow.cli;

import picocli.CommandLine.Command;

/** {@code kdflow demo}: placeholder until the streaming pipeline work (broker + four services + report; not filed yet) lands. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the main job on the embedded broker: distill on the bundled Shakespeare data, quick profile. (not available yet)")
final class DemoCommand extends PendingCommand {

    @Override
    String arrivesWith() {
        return "the streaming pipeline work (broker + four services + report; not filed yet)";
    }
}
