package io.kdflow.evaluator.config;

import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.service.SettingRules;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;

/**
 * Checks {@link EvaluatorConfig} when the evaluator starts, before its channels consume anything: a bad value
 * stops the start with {@code <key>: <value> is not allowed (<rule>)} instead of failing every checkpoint later.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@ApplicationScoped
public class EvaluatorSettingsCheck {

    private final EvaluatorConfig config;

    public EvaluatorSettingsCheck(EvaluatorConfig config) {
        this.config = config;
    }

    @PostConstruct
    void check() {
        rules(config).check();
    }

    /** What {@code evaluator.*} must satisfy; the limits are those kd-core puts on a job's own values. */
    static SettingRules rules(EvaluatorConfig config) {
        EvaluatorConfig.Compute compute = config.compute();
        return new SettingRules()
                .positive("evaluator.send-timeout", config.sendTimeout())
                .positive("evaluator.publish-retry-for", config.publishRetryFor())
                .atLeast("evaluator.max-examples", config.maxExamples(), 1)
                .between("evaluator.num-beams", config.numBeams(), 1, EvaluationSettings.MAX_BEAMS)
                .between("evaluator.max-new-tokens", config.maxNewTokens(), 1, EvaluationSettings.MAX_NEW_TOKENS)
                .atLeast("evaluator.max-source-tokens", config.maxSourceTokens(), 1)
                .atLeast("evaluator.max-target-tokens", config.maxTargetTokens(), 1)
                .atLeast("evaluator.batch-size", config.batchSize(), 1)
                .oneOf("evaluator.selection-metric", config.selectionMetric(), MetricNames.SELECTABLE)
                .atLeast("evaluator.compute.source-length", compute.sourceLength(), 1)
                .atLeast("evaluator.compute.target-length", compute.targetLength(), 1)
                .atLeast("evaluator.compute.latency.warmup-calls", compute.latency().warmupCalls(), 0)
                .atLeast("evaluator.compute.latency.calls", compute.latency().calls(), 1)
                .between("evaluator.compute.throughput.memory-cap-mb", compute.throughput().memoryCapMb(), 1,
                        Long.MAX_VALUE / EvaluationDefaultsOf.MB)
                .atLeast("evaluator.compute.throughput.max-batch", compute.throughput().maxBatch(), 1)
                .atLeast("evaluator.compute.throughput.calls", compute.throughput().calls(), 1);
    }
}
