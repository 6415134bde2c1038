package io.kdflow.kafka;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.slf4j.LoggerFactory;

import io.kdflow.kafka.broker.BrokerOptions;
import io.kdflow.kafka.broker.KafkaBroker;

/**
 * Runs a single-node KRaft broker in this JVM until SIGTERM/Ctrl-C (or until the parent goes away).
 * Prints exactly one line on stdout, {@code KDFLOW_KAFKA_READY bootstrap=127.0.0.1:<port>}, once clients
 * can connect; everything else goes to stderr. Exit codes: 1 when the broker cannot start, 2 for bad
 * options. Meant to own its JVM (it calls System.exit); embed {@link KafkaBroker} instead to run a broker
 * inside another program.
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(BrokerOptions.USAGE);
            return;
        }
        QuietLogging.applyDefaults();
        BrokerOptions options;
        try {
            options = BrokerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("embedded-kafka: " + e.getMessage());
            System.err.println(BrokerOptions.USAGE);
            System.exit(2);
            return;
        }
        KafkaBroker broker;
        try {
            broker = KafkaBroker.start(options);
        } catch (RuntimeException e) {
            System.err.println("embedded-kafka: " + e.getMessage());
            System.exit(1);
            return;
        }
        // Runs on SIGTERM, Ctrl-C and System.exit: stop the broker, then delete its data.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        LoggerFactory.getLogger(EmbeddedKafkaMain.class).info("ready {} ms after JVM start", sinceJvmStart);

        System.out.println(ReadyLine.format(broker.bootstrapServers()));
        System.out.flush();

        if (options.exitOnStdinEof()) {
            StopTriggers.exitOnEndOfInput(System.in);
        }
        if (options.watchParent()) {
            StopTriggers.exitWhenParentExits();
        }
        // The broker's own non-daemon threads keep the JVM alive from here on.
    }
}
