package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.cli.UserError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the run starts, it stops: processes are gone after close; a service dying at start names its log. */
class LocalClusterTest {

    @TempDir
    Path dir;

    @Test
    void shouldStopEveryStartedProcessOnClose() {
        ServiceProcess first;
        ServiceProcess second;
        try (LocalCluster cluster = LocalCluster.of(dir.resolve("logs"))) {
            first = ServiceProcess.start("first", List.of("sleep", "600"), dir, 1, dir.resolve("logs/first.log"));
            second = ServiceProcess.start("second", List.of("sleep", "600"), dir, 1, dir.resolve("logs/second.log"));
            cluster.add(first);
            cluster.add(second);
            assertThat(first.isAlive()).isTrue();
            assertThat(second.isAlive()).isTrue();
        }

        assertThat(first.isAlive()).isFalse();
        assertThat(second.isAlive()).isFalse();
        assertThat(ProcessHandle.current().children().map(ProcessHandle::pid).toList())
                .doesNotContain(first.handle().pid(), second.handle().pid());
    }

    @Test
    void shouldNameTheLogOfAServiceThatExitsWhileStarting() {
        Path log = dir.resolve("logs/broken.log");
        try (LocalCluster cluster = LocalCluster.of(dir.resolve("logs"))) {
            ServiceProcess broken = ServiceProcess.start("broken", List.of("sh", "-c", "echo no broker; exit 3"), dir,
                    1, log);
            cluster.add(broken);

            assertThatThrownBy(broken::awaitReady).isInstanceOf(UserError.class)
                    .hasMessage("broken exited with code 3 while starting; its log " + log + " ends with:\nno broker");
        }
    }

    @Test
    void shouldGiveEachServiceTheBrokerItsThreadsItsStoreAndItsState() {
        ServiceConfig config = new ServiceConfig("127.0.0.1:9092", dir, 2);

        assertThat(config.properties("pt-sampler")).containsExactly(
                java.util.Map.entry("kafka.bootstrap.servers", "127.0.0.1:9092"),
                java.util.Map.entry("kdflow.engine.intra-op-threads", "2"),
                java.util.Map.entry("kdflow.engine.inter-op-threads", "1"),
                java.util.Map.entry("sampler.model-store", dir.resolve("model-store").toString()));
        assertThat(config.properties("teacher-service")).containsEntry("teacher.model-store",
                dir.resolve("model-store").toString());
        assertThat(config.properties("student-trainer")).containsEntry("trainer.model-store",
                dir.resolve("model-store").toString()).containsEntry("trainer.data-dir", dir.resolve("trainer-data").toString());
        assertThat(config.properties("evaluator")).containsEntry("evaluator.model-store",
                dir.resolve("model-store").toString()).containsEntry("evaluator.compute.latency.enabled", "true")
                .containsEntry("evaluator.compute.source-length", "16").containsEntry("evaluator.compute.latency.calls", "10");
        assertThat(ServiceConfig.threadsOf(3)).isEqualTo(3);
        assertThat(ServiceConfig.threadsOf(0)).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
