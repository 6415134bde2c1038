package io.kdflow.kafka.testing;

import org.testcontainers.DockerClientFactory;

/** Starts the broker a {@link KafkaBrokerMode} asks for. */
public final class TestKafkaBrokers {

    private TestKafkaBrokers() {
    }

    /** Starts a broker for the mode in {@code -Dkdflow.test.kafka} (default auto). */
    public static TestKafkaBroker start() {
        return start(KafkaBrokerMode.fromSystemProperty());
    }

    /** Starts a broker for {@code mode} and says on standard output which one (the test log shows the mode). */
    public static TestKafkaBroker start(KafkaBrokerMode mode) {
        TestKafkaBroker broker = switch (resolve(mode)) {
            case PROCESS -> ProcessKafkaBroker.start();
            case TESTCONTAINERS -> ContainerKafkaBroker.start();
            case AUTO -> throw new IllegalStateException("AUTO resolves to a concrete mode");
        };
        System.out.println("[kdflow-test] started " + broker.description());
        return broker;
    }

    /**
     * AUTO becomes TESTCONTAINERS when a Docker engine answers (~0.2 s to find out) and holds the broker image (none
     * can be pulled), else PROCESS.
     */
    static KafkaBrokerMode resolve(KafkaBrokerMode mode) {
        if (mode != KafkaBrokerMode.AUTO) {
            return mode;
        }
        String image = System.getProperty(ContainerKafkaBroker.IMAGE_PROPERTY, "");
        boolean containers = !image.isBlank() && DockerClientFactory.instance().isDockerAvailable()
                && ContainerKafkaBroker.imageExists(image.trim());
        return containers ? KafkaBrokerMode.TESTCONTAINERS : KafkaBrokerMode.PROCESS;
    }
}
