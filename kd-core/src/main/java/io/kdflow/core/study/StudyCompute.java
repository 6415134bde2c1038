package io.kdflow.core.study;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.compute.InterleavedLatency;
import io.kdflow.core.compute.LatencyResult;
import io.kdflow.core.compute.LatencySettings;
import io.kdflow.core.compute.ThroughputSettings;
import io.kdflow.core.eval.ComputeMetrics;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.model.ModelDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The study's computational table (the paper's S1/S2 table): parameters, FLOPs of one teacher-forced forward
 * pass at the task's token limits, batch-1 greedy latency with the models' calls taking turns (so their ratio
 * holds on a shared machine) and greedy throughput at the largest batch under a memory cap.
 */
public final class StudyCompute {

    /** One measured model: a row name and its directory. */
    public record Model(String name, Path dir) {}

    /** The settings of a quick table: 16 source and 16 new tokens, batches up to 64 under 4 GB. */
    public record Settings(int sourceLength, int targetLength, LatencySettings latency, ThroughputSettings throughput) {
        public static Settings quick(int sourceLength, int targetLength) {
            return new Settings(sourceLength, targetLength, new LatencySettings(16, 16, 2, 10),
                    new ThroughputSettings(16, 16, 4L << 30, 64, 2));
        }
    }

    private StudyCompute() {}

    /** Each model's metrics by row name, in the given order. */
    public static Map<String, Map<String, Double>> measure(List<Model> models, Settings settings) {
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ModelDirectory> loaded = new ArrayList<>();
            try {
                for (Model model : models) {
                    loaded.add(ModelDirectory.loadWithoutTokenizer(model.dir(), manager));
                }
                ComputeMetrics.Settings compute = new ComputeMetrics.Settings(settings.sourceLength(),
                        settings.targetLength(), Optional.empty(), Optional.of(settings.throughput()));
                for (int i = 0; i < models.size(); i++) {
                    rows.put(models.get(i).name(), new LinkedHashMap<>(ComputeMetrics.of(loaded.get(i).model(), compute)));
                }
                List<LatencyResult> latency = InterleavedLatency.measure(
                        loaded.stream().map(ModelDirectory::model).toList(), settings.latency());
                for (int i = 0; i < models.size(); i++) {
                    Map<String, Double> row = rows.get(models.get(i).name());
                    row.put(MetricNames.LATENCY_MS_P50, latency.get(i).medianMillis());
                    row.put(MetricNames.LATENCY_MS_P90, latency.get(i).p90Millis());
                }
            } finally {
                loaded.forEach(ModelDirectory::close);
            }
        }
        return rows;
    }
}
