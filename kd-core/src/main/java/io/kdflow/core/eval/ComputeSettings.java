package io.kdflow.core.eval;

import io.kdflow.core.compute.LatencySettings;
import io.kdflow.core.compute.ThroughputSettings;
import java.util.Optional;

/**
 * What {@link ComputeMetrics} measures.
 *
 * @param sourceLength S of the FLOPs and memory workloads (the paper: 48, 320, 480)
 * @param targetLength T of the same workloads (the paper: 32)
 * @param latency the latency run, when latency is measured
 * @param throughput the throughput run, when throughput is measured
 */
public record ComputeSettings(int sourceLength, int targetLength, Optional<LatencySettings> latency,
        Optional<ThroughputSettings> throughput) {

    public ComputeSettings {
        if (sourceLength < 1 || targetLength < 1) {
            throw new IllegalArgumentException("compute workload lengths must be >= 1, got S " + sourceLength
                    + ", T " + targetLength);
        }
    }
}
