package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.cli.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The docker command lines of {@code ./kdflow run --containers} (ContainersRunIT runs them against a daemon). */
class ContainerImagesTest {

    private static final Path HOME = Path.of("/src/kdflow");
    private static final Path RUN = Path.of("/src/kdflow/runs/chaos-tiny");
    private final ContainerImages images = new ContainerImages(HOME, "1.2.3", RUN, Path.of("/cache/djl"),
            List.of("--user", "1000:1000"));

    @Test
    void shouldNameTheImagesAsDeployDoes() {
        assertThat(images.image("pt-sampler")).isEqualTo("kdflow/pt-sampler:1.2.3");
        assertThat(images.image(ContainerImages.BROKER_MODULE)).isEqualTo("kdflow/embedded-kafka:1.2.3");
    }

    @Test
    void shouldRunTheBrokerAttachedWithStdinOnTheHostNetworkWithTheRunDirectoryMounted() {
        assertThat(images.brokerLauncher()).containsExactly("docker", "run", "-i", "--rm", "--name",
                "kdflow-run-embedded-kafka", "--label", "io.kdflow.container=run", "--network", "host", "--user",
                "1000:1000", "-v", RUN + ":" + RUN, "kdflow/embedded-kafka:1.2.3");
    }

    @Test
    void shouldGiveAServiceItsPropertiesAsEnvironmentAndTheCheckoutReadOnly() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        properties.put("evaluator.compute.latency.warmup-calls", "2");

        List<String> command = images.serviceCommand("evaluator", 45678, properties);

        assertThat(command).startsWith("docker", "run", "--rm", "--name", "kdflow-run-evaluator", "--label",
                "io.kdflow.container=run", "--network", "host", "--user", "1000:1000").endsWith("kdflow/evaluator:1.2.3");
        assertThat(command).containsSubsequence("-v", HOME + ":" + HOME + ":ro").containsSubsequence("-v",
                RUN + ":" + RUN).containsSubsequence("-v", "/cache/djl:/cache/djl");
        assertThat(command).containsSubsequence("-e", "QUARKUS_HTTP_PORT=45678")
                .containsSubsequence("-e", "QUARKUS_HTTP_HOST=127.0.0.1")
                .containsSubsequence("-e", "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092")
                .containsSubsequence("-e", "EVALUATOR_COMPUTE_LATENCY_WARMUP_CALLS=2")
                .containsSubsequence("-e", "DJL_CACHE_DIR=/cache/djl")
                .containsSubsequence("-e", "JAVA_TOOL_OPTIONS=-Xmx2g -XX:+UseSerialGC");
    }

    @Test
    void shouldNameAJobFileTheContainersCannotSee() {
        images.requireVisible(Map.of("task.train", "/src/kdflow/data/train.jsonl", "task.dev",
                "/src/kdflow/runs/chaos-tiny/dev.jsonl"));

        assertThatThrownBy(() -> images.requireVisible(Map.of("teacher.dir", "/models/../elsewhere/teacher")))
                .isInstanceOf(UserError.class)
                .hasMessage("--containers: teacher.dir /elsewhere/teacher is outside the kdflow checkout /src/kdflow and"
                        + " the run directory /src/kdflow/runs/chaos-tiny, the only directories the containers see;"
                        + " copy it into one of them");
    }

    @Test
    void shouldMapPropertyNamesToTheEnvironmentNamesSmallRyeReads() {
        assertThat(ContainerImages.environmentName("kafka.session.timeout.ms")).isEqualTo("KAFKA_SESSION_TIMEOUT_MS");
        assertThat(ContainerImages.environmentName("trainer.data-dir")).isEqualTo("TRAINER_DATA_DIR");
        assertThat(ContainerImages.environmentName("kdflow.engine.intra-op-threads"))
                .isEqualTo("KDFLOW_ENGINE_INTRA_OP_THREADS");
    }
}
