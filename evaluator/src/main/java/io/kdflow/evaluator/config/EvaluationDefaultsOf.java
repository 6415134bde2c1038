package io.kdflow.evaluator.config;

import io.kdflow.core.compute.LatencySettings;
import io.kdflow.core.compute.ThroughputSettings;
import io.kdflow.core.eval.ComputeMetrics;
import io.kdflow.core.eval.EvaluationSettings;
import java.util.Optional;

/** The evaluator's config as kd-core's defaults: a job's {@code EvaluationSpec} wins wherever it sets a value. */
public final class EvaluationDefaultsOf {

    /** The entry of {@code evaluator.datasets} that serves jobs without their own. */
    public static final String DEFAULT_DATASET = "default";

    static final long MB = 1_000_000L;

    private EvaluationDefaultsOf() {}

    /** The defaults of {@code job}: its {@code evaluator.datasets.<job>} entry, else the {@code default} one. */
    public static EvaluationSettings.Defaults job(EvaluatorConfig config, String job) {
        Optional<EvaluatorConfig.DatasetFiles> files = Optional.ofNullable(
                config.datasets().getOrDefault(job, config.datasets().get(DEFAULT_DATASET)));
        return new EvaluationSettings.Defaults(config.numBeams(), config.maxNewTokens(), config.maxSourceTokens(),
                config.maxTargetTokens(), config.batchSize(), config.selectionMetric(), config.maxExamples(),
                files.map(EvaluatorConfig.DatasetFiles::dev), files.flatMap(EvaluatorConfig.DatasetFiles::test),
                config.compute().latency().enabled(), config.compute().throughput().enabled());
    }

    /** The computational runs of {@code compute}, latency and throughput as the job's settings switch them. */
    public static ComputeMetrics.Settings compute(EvaluatorConfig.Compute compute, EvaluationSettings settings) {
        int s = compute.sourceLength();
        int t = compute.targetLength();
        EvaluatorConfig.Latency latency = compute.latency();
        EvaluatorConfig.Throughput throughput = compute.throughput();
        return new ComputeMetrics.Settings(s, t,
                settings.latency() ? Optional.of(new LatencySettings(s, t, latency.warmupCalls(), latency.calls()))
                        : Optional.empty(),
                settings.throughput() ? Optional.of(new ThroughputSettings(s, t,
                        Math.multiplyExact(throughput.memoryCapMb(), MB), throughput.maxBatch(), throughput.calls()))
                        : Optional.empty());
    }
}
