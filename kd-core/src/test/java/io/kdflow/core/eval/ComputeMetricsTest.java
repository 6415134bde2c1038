package io.kdflow.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.compute.FlopsCounter;
import io.kdflow.core.compute.LatencySettings;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size and compute always; latency only when its run is given. */
class ComputeMetricsTest {

    @TempDir
    Path temp;

    @Test
    void shouldMeasureSizeAndFlopsAlwaysAndLatencyOnRequest() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            var plain = ComputeMetrics.of(model, new ComputeMetrics.Settings(8, 4, Optional.empty(), Optional.empty()));
            var timed = ComputeMetrics.of(model, new ComputeMetrics.Settings(8, 4, Optional.of(new LatencySettings(8, 4, 1, 2)),
                    Optional.empty()));

            assertThat(plain).containsEntry("params", 323_200.0)
                    .containsEntry("flops", (double) FlopsCounter.forward(model.config(), 8, 4).flops())
                    .containsKeys("params_non_embedding", "peak_memory_bytes")
                    .doesNotContainKeys("latency_ms_p50", "throughput_per_min");
            assertThat(timed.get("latency_ms_p90")).isGreaterThanOrEqualTo(timed.get("latency_ms_p50")).isPositive();
        }
    }
}
