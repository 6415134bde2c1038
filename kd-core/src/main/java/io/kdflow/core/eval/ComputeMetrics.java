package io.kdflow.core.eval;

import io.kdflow.core.compute.FlopsCounter;
import io.kdflow.core.compute.GenerationMemory;
import io.kdflow.core.compute.LatencyBenchmark;
import io.kdflow.core.compute.LatencyResult;
import io.kdflow.core.compute.LatencySettings;
import io.kdflow.core.compute.ParameterCount;
import io.kdflow.core.compute.ThroughputBenchmark;
import io.kdflow.core.compute.ThroughputResult;
import io.kdflow.core.compute.ThroughputSettings;
import io.kdflow.core.model.PretrainedModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The computational metrics of a checkpoint ({@code io.kdflow.core.compute}): {@code params},
 * {@code params_non_embedding}, {@code flops} and the estimated {@code peak_memory_bytes} always; latency
 * (with the measured {@code peak_rss_delta_bytes}) and throughput when their settings are given.
 */
public final class ComputeMetrics {

    private ComputeMetrics() {}

    /**
     * What is measured: FLOPs and memory at source length S and target length T (the paper: 48, 320, 480 and
     * 32), and the latency and throughput runs when given.
     */
    public record Settings(int sourceLength, int targetLength, Optional<LatencySettings> latency,
            Optional<ThroughputSettings> throughput) {}

    public static Map<String, Double> of(PretrainedModel model, Settings settings) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        ParameterCount params = ParameterCount.of(model.config());
        metrics.put(MetricNames.PARAMS, (double) params.total());
        metrics.put(MetricNames.PARAMS_NON_EMBEDDING, (double) params.nonEmbedding());
        metrics.put(MetricNames.FLOPS,
                (double) FlopsCounter.forward(model.config(), settings.sourceLength(), settings.targetLength()).flops());
        metrics.put(MetricNames.PEAK_MEMORY_BYTES, (double) GenerationMemory.bytes(model.config(), 1,
                settings.sourceLength(), settings.targetLength()));
        settings.latency().ifPresent(run -> {
            LatencyResult latency = LatencyBenchmark.measure(model, run);
            metrics.put(MetricNames.LATENCY_MS_P50, latency.medianMillis());
            metrics.put(MetricNames.LATENCY_MS_P90, latency.p90Millis());
            latency.peakRssDeltaBytes().ifPresent(bytes -> metrics.put(MetricNames.PEAK_RSS_DELTA_BYTES, (double) bytes));
        });
        settings.throughput().ifPresent(run -> {
            ThroughputResult throughput = ThroughputBenchmark.measure(model, run);
            metrics.put(MetricNames.THROUGHPUT_PER_MIN, throughput.examplesPerMinute());
            metrics.put(MetricNames.THROUGHPUT_BATCH, (double) throughput.batchSize());
        });
        return metrics;
    }
}
