package io.kdflow.kafka.broker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Command-line options of the single-node broker.
 *
 * @param port            client (PLAINTEXT) port on 127.0.0.1; 0 picks a free port
 * @param controllerPort  KRaft controller port on 127.0.0.1; 0 picks a free port
 * @param dataDir         storage directory; empty means a fresh temporary directory
 * @param partitions      default partition count of auto-created topics
 * @param keepData        keep the data directory when the broker stops
 * @param exitOnStdinEof  stop when standard input reaches end of file (the parent closed the pipe)
 * @param watchParent     stop when the parent process exits
 * @param saslPlain       a user that clients must authenticate as (SASL/PLAIN on the client port, which then speaks
 *                        SASL_PLAINTEXT); empty means no authentication
 */
public record BrokerOptions(
        int port,
        int controllerPort,
        Optional<Path> dataDir,
        int partitions,
        boolean keepData,
        boolean exitOnStdinEof,
        boolean watchParent,
        Optional<SaslPlainUser> saslPlain) {

    public static final int DEFAULT_PARTITIONS = 4;

    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar embedded-kafka-broker.jar [options]",
            "  --port N               client port on 127.0.0.1 (default 0: a free port)",
            "  --controller-port N    KRaft controller port on 127.0.0.1 (default 0: a free port)",
            "  --data-dir DIR         storage directory (default: a fresh temporary directory)",
            "  --partitions N         partitions of auto-created topics (default " + DEFAULT_PARTITIONS + ")",
            "  --keep-data            keep the data directory on stop (a kept directory is reused on restart)",
            "  --exit-on-stdin-eof    stop when standard input closes (the launching process went away)",
            "  --no-parent-watch      keep running when the parent process exits",
            "  --sasl-plain USER:PASSWORD  clients authenticate as USER (SASL/PLAIN, security.protocol SASL_PLAINTEXT)",
            "Prints 'KDFLOW_KAFKA_READY bootstrap=127.0.0.1:<port>' on stdout once clients can connect.");

    public BrokerOptions {
        requirePort("--port", port);
        requirePort("--controller-port", controllerPort);
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        java.util.Objects.requireNonNull(saslPlain, "saslPlain");
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("--port and --controller-port must differ, both are " + port);
        }
    }

    /** Defaults: free ports, temporary data, deleted on stop, parent watched. */
    public static BrokerOptions defaults() {
        return new BrokerOptions(0, 0, Optional.empty(), DEFAULT_PARTITIONS, false, false, true, Optional.empty());
    }

    /**
     * Parses command-line arguments.
     *
     * @throws IllegalArgumentException naming the offending option when an argument is unknown or invalid
     */
    public static BrokerOptions parse(String... args) {
        int port = 0;
        int controllerPort = 0;
        Optional<Path> dataDir = Optional.empty();
        int partitions = DEFAULT_PARTITIONS;
        boolean keepData = false;
        boolean exitOnStdinEof = false;
        boolean watchParent = true;
        Optional<SaslPlainUser> saslPlain = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--port" -> port = parseInt(option, valueOf(args, ++i, option));
                case "--controller-port" -> controllerPort = parseInt(option, valueOf(args, ++i, option));
                case "--data-dir" -> dataDir = Optional.of(Path.of(valueOf(args, ++i, option)));
                case "--partitions" -> partitions = parseInt(option, valueOf(args, ++i, option));
                case "--keep-data" -> keepData = true;
                case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
                case "--no-parent-watch" -> watchParent = false;
                case "--sasl-plain" -> saslPlain = Optional.of(SaslPlainUser.parse(valueOf(args, ++i, option)));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new BrokerOptions(port, controllerPort, dataDir, partitions, keepData, exitOnStdinEof, watchParent,
                saslPlain);
    }

    private static String valueOf(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got '" + value + "'", e);
        }
    }

    private static void requirePort(String option, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(option + " must be in 0..65535, got " + port);
        }
    }
}
