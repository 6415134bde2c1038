/**
 * Computational metrics of the paper (docs/method.md, "Computational metrics"): parameter counts
 * ({@link io.kdflow.core.compute.ParameterCount}), analytical FLOPs of one teacher-forced forward pass
 * ({@link io.kdflow.core.compute.FlopsCounter}), latency at batch 1 with greedy fixed-length generation
 * ({@link io.kdflow.core.compute.LatencyBenchmark}), throughput at the largest batch under a memory cap
 * ({@link io.kdflow.core.compute.ThroughputBenchmark}) and working-memory estimates
 * ({@link io.kdflow.core.compute.GenerationMemory}). Formulas in {@code docs/compute-metrics.md}.
 */
package io.kdflow.core.compute;
