package io.kdflow.evaluator.evaluation;

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
import io.kdflow.evaluator.config.EvaluatorConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The computational metrics of a checkpoint ({@code io.kdflow.core.compute}): {@code params},
 * {@code params_non_embedding}, {@code flops} and the estimated {@code peak_memory_bytes} always; latency
 * (with the measured {@code peak_rss_delta_bytes}) and throughput when enabled.
 */
public final class ComputeMetrics {

    private static final long MB = 1_000_000L;

    private ComputeMetrics() {}

    public static Map<String, Double> of(PretrainedModel model, EvaluatorConfig.Compute settings) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        ParameterCount params = ParameterCount.of(model.config());
        metrics.put(MetricNames.PARAMS, (double) params.total());
        metrics.put("params_non_embedding", (double) params.nonEmbedding());
        metrics.put(MetricNames.FLOPS,
                (double) FlopsCounter.forward(model.config(), settings.sourceLength(), settings.targetLength()).flops());
        metrics.put("peak_memory_bytes", (double) GenerationMemory.bytes(model.config(), 1, settings.sourceLength(),
                settings.targetLength()));
        if (settings.latency().enabled()) {
            LatencyResult latency = LatencyBenchmark.measure(model, new LatencySettings(settings.sourceLength(),
                    settings.targetLength(), settings.latency().warmupCalls(), settings.latency().calls()));
            metrics.put("latency_ms_p50", latency.medianMillis());
            metrics.put("latency_ms_p90", latency.p90Millis());
            latency.peakRssDeltaBytes().ifPresent(bytes -> metrics.put("peak_rss_delta_bytes", (double) bytes));
        }
        if (settings.throughput().enabled()) {
            EvaluatorConfig.Throughput t = settings.throughput();
            ThroughputResult throughput = ThroughputBenchmark.measure(model, new ThroughputSettings(
                    settings.sourceLength(), settings.targetLength(), Math.multiplyExact(t.memoryCapMb(), MB),
                    t.maxBatch(), t.calls()));
            metrics.put("throughput_per_min", throughput.examplesPerMinute());
            metrics.put("throughput_batch", (double) throughput.batchSize());
        }
        return metrics;
    }
}
