package io.kdflow.kafka.testing;

import java.time.Duration;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import io.kdflow.kafka.ReadyLine;

/**
 * The embedded-kafka broker in a container through Testcontainers: the image {@code tools/containers.sh build} makes
 * from the broker jar ({@code kdflow/embedded-kafka:<version>}, docs/containers.md), so the same broker as in
 * process mode. No registry is needed: the image must exist locally and is never pulled. The container uses the
 * host's network and the broker picks a free port on 127.0.0.1, read from its ready line. Testcontainers' Ryuk
 * reaper cannot be pulled either (the root pom sets {@code TESTCONTAINERS_RYUK_DISABLED} for tests):
 * {@link #close()} removes the container, and its label lets scripts remove what a killed JVM left behind.
 */
final class ContainerKafkaBroker implements TestKafkaBroker {

    /** The broker image; the root pom sets it to {@code kdflow/embedded-kafka:<project version>}. */
    static final String IMAGE_PROPERTY = "kdflow.test.kafka.image";
    /** Label of every test broker container ({@code docker rm -f $(docker ps -aq --filter label=...)}). */
    static final String LABEL = "io.kdflow.container";

    private final GenericContainer<?> container;
    private final String bootstrapServers;

    private ContainerKafkaBroker(GenericContainer<?> container, String bootstrapServers) {
        this.container = container;
        this.bootstrapServers = bootstrapServers;
    }

    @SuppressWarnings("resource") // closed by close()
    static ContainerKafkaBroker start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("-D" + KafkaBrokerMode.PROPERTY + "=testcontainers needs a Docker daemon and"
                    + " none answers: start one (tools/containers.sh exec <command> does) or use process mode");
        }
        String image = image();
        if (!imageExists(image)) {
            throw new IllegalStateException("no local image " + image + " for -D" + KafkaBrokerMode.PROPERTY
                    + "=testcontainers (none can be pulled): build it with tools/containers.sh build");
        }
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false)
                .withNetworkMode("host")
                .withLabel(LABEL, "test")
                .withCommand("--port", "0", "--controller-port", "0", "--partitions", "4", "--no-parent-watch")
                .waitingFor(Wait.forLogMessage("(?s).*" + ReadyLine.PREFIX + ".*", 1)
                        .withStartupTimeout(Duration.ofSeconds(90)));
        container.start();
        Optional<String> bootstrap = container.getLogs(OutputFrame.OutputType.STDOUT).lines()
                .map(ReadyLine::parse).flatMap(Optional::stream).findFirst();
        if (bootstrap.isEmpty()) {
            container.stop();
            throw new IllegalStateException("the broker container of " + image + " printed no ready line");
        }
        return new ContainerKafkaBroker(container, bootstrap.get());
    }

    /** {@value #IMAGE_PROPERTY}; required (the root pom sets it for surefire). */
    static String image() {
        String image = System.getProperty(IMAGE_PROPERTY);
        if (image == null || image.isBlank()) {
            throw new IllegalStateException("no broker image: set -D" + IMAGE_PROPERTY
                    + "=kdflow/embedded-kafka:<version> (the root pom sets it for tests)");
        }
        return image.trim();
    }

    /** Whether the image is in the local daemon's store. */
    static boolean imageExists(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException notFound) { // com.github.dockerjava's NotFoundException
            return false;
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public String description() {
        return "Kafka broker container " + container.getDockerImageName() + " (" + container.getContainerId()
                .substring(0, 12) + ") on " + bootstrapServers;
    }

    @Override
    public void close() {
        container.stop();
    }
}
