package io.kdflow.cli;

import io.kdflow.kafka.broker.BrokerOptions;
import io.kdflow.kafka.broker.KafkaBroker;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdflow kafka ...}: the embedded broker, for people who want to poke at the topics. */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = "The embedded single-node Kafka broker (KRaft).",
        subcommands = {KafkaCommand.Start.class})
final class KafkaCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Run a real single-node KRaft broker in the foreground until Ctrl-C.")
    static final class Start implements Callable<Integer> {

        @Option(names = "--port", defaultValue = "9092", description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
        int port;

        @Option(names = "--data-dir", description = "Storage directory (default: a temporary one, deleted on stop).")
        Path dataDir;

        @Option(names = "--keep-data", description = "Keep the data directory on stop; a kept directory is reused.")
        boolean keepData;

        @Option(names = "--partitions", defaultValue = "4", description = "Partitions of auto-created topics (default: ${DEFAULT-VALUE}).")
        int partitions;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            BrokerOptions options = new BrokerOptions(port, 0, Optional.ofNullable(dataDir), partitions, keepData,
                    false, false, Optional.empty());
            KafkaBroker broker;
            try {
                broker = KafkaBroker.start(options);
            } catch (RuntimeException e) {
                throw new UserError("cannot start the broker: " + e.getMessage());
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                stopped.countDown();
            }, "kafka-broker-shutdown"));
            spec.commandLine().getOut().println("kafka: broker ready at " + broker.bootstrapServers()
                    + " (Ctrl-C stops it" + (keepData ? "" : " and deletes its data") + ")");
            spec.commandLine().getOut().flush();
            stopped.await();
            return 0;
        }
    }
}
