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

    public static TestKafkaBroker start(KafkaBrokerMode mode) {
        return switch (resolve(mode)) {
            case PROCESS -> ProcessKafkaBroker.start();
            case TESTCONTAINERS -> ContainerKafkaBroker.start();
            case AUTO -> throw new IllegalStateException("AUTO resolves to a concrete mode");
        };
    }

    /** AUTO becomes TESTCONTAINERS when a Docker engine answers (~0.2 s to find out), else PROCESS. */
    static KafkaBrokerMode resolve(KafkaBrokerMode mode) {
        if (mode != KafkaBrokerMode.AUTO) {
            return mode;
        }
        return DockerClientFactory.instance().isDockerAvailable() ? KafkaBrokerMode.TESTCONTAINERS : KafkaBrokerMode.PROCESS;
    }
}
