package io.kdflow.kafka.broker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A running single-node KRaft broker (combined broker and controller) in this JVM.
 * {@link #start} returns once an admin client sees the broker; {@link #close} stops it and, unless the
 * options keep it, deletes its data directory. Run it in a JVM of its own (see EmbeddedKafkaMain): the
 * broker's dependencies and global metrics do not belong in an application's JVM.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final long READY_CHECK_TIMEOUT_MS = 30_000;

    private final KafkaRaftServer server;
    private final DataDirectory dataDirectory;
    private final boolean keepData;
    private final String bootstrapServers;
    private boolean closed;

    private KafkaBroker(KafkaRaftServer server, DataDirectory dataDirectory, boolean keepData, String bootstrapServers) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.keepData = keepData;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats storage if needed, starts the broker and waits until it answers an admin request.
     *
     * @throws IllegalStateException when the broker cannot start (for example, a port is taken); the data
     *                               directory is then deleted unless the options keep it
     */
    public static KafkaBroker start(BrokerOptions options) {
        DataDirectory dataDirectory = DataDirectory.prepare(options.dataDir());
        int[] ports = FreePort.resolveAll(options.port(), options.controllerPort());
        int port = ports[0];
        int controllerPort = ports[1];
        String bootstrap = SingleNodeConfig.HOST + ":" + port;
        KafkaRaftServer server = null;
        try {
            Properties props = SingleNodeConfig.of(port, controllerPort, dataDirectory.path(), options.partitions(),
                    options.saslPlain());
            KafkaConfig config = new KafkaConfig(props, false);
            if (!dataDirectory.isFormatted()) {
                format(config, dataDirectory);
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            awaitClusterVisible(bootstrap, options.saslPlain());
            LOG.info("Kafka broker listening on {} (controller port {}, data {})", bootstrap, controllerPort,
                    dataDirectory.path());
            return new KafkaBroker(server, dataDirectory, options.keepData(), bootstrap);
        } catch (Exception | LinkageError e) {
            stopQuietly(server);
            if (!options.keepData()) {
                dataDirectory.delete();
            }
            throw new IllegalStateException("Kafka broker failed to start on " + bootstrap
                    + " (controller port " + controllerPort + "): " + rootMessage(e), e);
        }
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker, waits for it, then deletes the data directory unless it is kept. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        if (keepData) {
            LOG.info("Kafka broker stopped; data kept in {}", dataDirectory.path());
        } else {
            dataDirectory.delete();
            LOG.info("Kafka broker stopped; data directory deleted");
        }
    }

    private static void format(KafkaConfig config, DataDirectory dataDirectory) throws Exception {
        String dir = dataDirectory.path().toString();
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(SingleNodeConfig.NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(SingleNodeConfig.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dir)
                .setDirectories(List.of(dir))
                // A static quorum: controller.quorum.voters names the single voter.
                .setHasDynamicQuorum(false)
                .setUnstableFeatureVersionsEnabled(config.unstableFeatureVersionsEnabled())
                .run();
    }

    /** The server's startup already waits until the broker is unfenced; this proves clients get through. */
    private static void awaitClusterVisible(String bootstrap, Optional<SaslPlainUser> sasl) throws Exception {
        Map<String, Object> adminConfig = new HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_CHECK_TIMEOUT_MS));
        sasl.ifPresent(user -> {
            adminConfig.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            adminConfig.put("sasl.mechanism", "PLAIN");
            adminConfig.put("sasl.jaas.config", user.clientJaasConfig());
        });
        try (Admin admin = Admin.create(adminConfig)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(READY_CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalStateException("the broker on " + bootstrap + " reports no live brokers");
            }
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.debug("ignoring failure while stopping a broker that failed to start", e);
        }
    }

    /**
     * The most telling message of a failure chain: the deepest cause, widened to its wrappers while they
     * only add context to it ("Socket server failed to bind to 127.0.0.1:9092: Address already in use.").
     */
    static String rootMessage(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        int best = chain.size() - 1;
        while (best > 0 && contains(chain.get(best - 1).getMessage(), chain.get(best).getMessage())) {
            best--;
        }
        Throwable cause = chain.get(best);
        return cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    }

    private static boolean contains(String outer, String inner) {
        return outer != null && inner != null && outer.contains(inner);
    }
}
