package io.kdflow.kafka.broker;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** Server properties of a combined broker+controller that is the only node of its cluster. */
final class SingleNodeConfig {

    static final String HOST = "127.0.0.1";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final int NODE_ID = 1;

    /**
     * Partitions of the internal topics (offsets, transaction state, share state). Kafka's default of 50
     * costs startup time and file handles that one local node does not need.
     */
    private static final int INTERNAL_TOPIC_PARTITIONS = 4;

    private SingleNodeConfig() {
    }

    static Properties of(int port, int controllerPort, Path dataDir, int partitions, Optional<SaslPlainUser> sasl) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        // The client listener is named after its protocol; the controller's stays PLAINTEXT on loopback.
        String client = sasl.isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT";
        props.put("listeners", client + "://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", client + "://" + HOST + ":" + port);
        props.put("listener.security.protocol.map", client + ":" + client + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", client);
        sasl.ifPresent(user -> {
            props.put("sasl.enabled.mechanisms", "PLAIN");
            props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", user.brokerJaasConfig());
        });
        props.put("log.dirs", dataDir.toString());

        props.put("auto.create.topics.enable", "true");
        props.put("num.partitions", String.valueOf(partitions));
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");

        // Replication factor 3 (the default) can never be met by one node: consumers would hang.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", String.valueOf(INTERNAL_TOPIC_PARTITIONS));
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", String.valueOf(INTERNAL_TOPIC_PARTITIONS));
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", String.valueOf(INTERNAL_TOPIC_PARTITIONS));

        // No other members will join: do not hold the first rebalance back (default 3 s).
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }
}
