package io.kdflow.kafka.testing;

import org.testcontainers.kafka.KafkaContainer;

/** Kafka in a Docker container through Testcontainers, set up like the process broker. */
final class ContainerKafkaBroker implements TestKafkaBroker {

    /** Overrides the image, e.g. {@code apache/kafka-native:4.1.2} for a faster start. */
    static final String IMAGE_PROPERTY = "kdflow.test.kafka.image";
    /** Same Kafka version as the clients and the process broker. */
    static final String DEFAULT_IMAGE = "apache/kafka:4.1.2";

    private final KafkaContainer container;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerKafkaBroker start() {
        KafkaContainer container = new KafkaContainer(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE))
                // Testcontainers already sets the offsets/transaction topics to one replica; add the rest.
                .withEnv("KAFKA_NUM_PARTITIONS", "4")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new ContainerKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String description() {
        return "Kafka container " + container.getDockerImageName() + " on " + bootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
