package io.kdflow.core.compute;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several models timed with their calls taking turns: one result per model, in order, every call kept. */
class InterleavedLatencyTest {

    @TempDir
    Path temp;

    @Test
    void shouldTimeEveryModelTheSameNumberOfCallsAndKeepTheirOrder() throws IOException {
        LatencySettings settings = new LatencySettings(6, 3, 1, 4);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel bart = PretrainedModels.load(HfTiny.copyModel(HfTiny.BART, temp), manager);
                PretrainedModel gpt2 = PretrainedModels.load(HfTiny.copyModel(HfTiny.GPT2, temp), manager)) {
            List<LatencyResult> results = InterleavedLatency.measure(List.of(gpt2, bart), settings);

            assertThat(results).hasSize(2);
            assertThat(results).allSatisfy(r -> {
                assertThat(r.callMillis()).hasSize(4);
                assertThat(r.medianMillis()).isBetween(
                        r.callMillis().stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                        r.callMillis().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
                assertThat(r.settings()).isEqualTo(settings);
            });
            assertThat(results.get(0).estimatedPeakBytes()).as("the first result is the first model's")
                    .isEqualTo(GenerationMemory.bytes(gpt2.config(), 1, 6, 3));
            assertThat(results.get(1).estimatedPeakBytes())
                    .isEqualTo(GenerationMemory.bytes(bart.config(), 1, 6, 3));
        }
    }
}
