package io.kdflow.core.local;

import io.kdflow.core.compute.LatencySettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a local distillation runs, beside its job file.
 *
 * @param cacheDir where teachers, PT files and CE baselines are cached across jobs ({@code teachers/},
 *     {@code pts/<key>/}, {@code baselines/<key>/})
 * @param runDir the run's directory; empty = {@code <job output>/<job id>}
 * @param latency how latency is measured on test when the job measures it
 * @param stopAfterSteps a test hook: phase name to the optimizer steps after which that phase stops with a
 *     {@link LocalInterruption} (what a crash leaves behind); empty for a normal run
 */
public record LocalOptions(Path cacheDir, Optional<Path> runDir, LatencySettings latency,
        Map<String, Long> stopAfterSteps) {

    /** Batch 1, 16 source tokens, 16 new tokens, 2 warm-up calls and 10 timed calls. */
    public static final LatencySettings QUICK_LATENCY = new LatencySettings(16, 16, 2, 10);

    public LocalOptions {
        stopAfterSteps = Map.copyOf(stopAfterSteps);
    }

    /** Cache in {@code cacheDir}, the job's run directory, quick latency, no stop. */
    public static LocalOptions of(Path cacheDir) {
        return new LocalOptions(cacheDir, Optional.empty(), QUICK_LATENCY, Map.of());
    }

    public LocalOptions withRunDir(Path dir) {
        return new LocalOptions(cacheDir, Optional.of(dir), latency, stopAfterSteps);
    }

    public LocalOptions stoppingAfter(String phase, long steps) {
        Map<String, Long> stops = new HashMap<>(stopAfterSteps);
        stops.put(phase, steps);
        return new LocalOptions(cacheDir, runDir, latency, stops);
    }

    long stopAfter(String phase) {
        return stopAfterSteps.getOrDefault(phase, Long.MAX_VALUE);
    }
}
