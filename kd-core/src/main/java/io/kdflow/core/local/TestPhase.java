package io.kdflow.core.local;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.compute.LatencyBenchmark;
import io.kdflow.core.compute.LatencyResult;
import io.kdflow.core.compute.LatencySettings;
import io.kdflow.core.compute.ParameterCount;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.metrics.TaskMetrics;
import io.kdflow.core.model.ModelDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report's numbers of one model: test metrics with the evaluator's decoding, the parameter count and
 * (when the job measures it) the paper's batch-1 greedy latency; dev metrics when the caller has none.
 * The copy baseline predicts the source itself, scored against the references as the files give them.
 */
final class TestPhase {

    private final EvaluationSettings evaluation;
    private final PromptTemplate prompt;
    private final Optional<LatencySettings> latency;

    /** @param prompt a decoder-only model's prompt template (the task's); encoder-decoder models ignore it */
    TestPhase(EvaluationSettings evaluation, PromptTemplate prompt, Optional<LatencySettings> latency) {
        this.evaluation = evaluation;
        this.prompt = prompt;
        this.latency = latency;
    }

    static Map<String, Double> copyBaseline(List<EvalExample> examples) {
        if (examples.isEmpty()) {
            return Map.of();
        }
        return new LinkedHashMap<>(MetricNames.of(TaskMetrics.score(examples.stream().map(EvalExample::source).toList(),
                examples.stream().map(EvalExample::references).toList(), TaskMetrics.Options.paperProtocol())));
    }

    /**
     * The role's result.
     *
     * @param dev the checkpoint's dev metrics; empty = evaluate dev here
     */
    RoleResult evaluate(Role role, Path dir, long step, Optional<Map<String, Double>> dev, List<EvalExample> devSet,
            List<EvalExample> test) {
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(dir, manager)) {
            SplitEvaluator evaluator = new SplitEvaluator(directory.model(), directory.tokenizer(),
                    directory.generationConfig(), prompt);
            Map<String, Double> devMetrics = dev.orElseGet(() -> evaluator.evaluate(devSet, evaluation).metrics());
            Map<String, Double> testMetrics = new LinkedHashMap<>();
            if (!test.isEmpty()) {
                testMetrics.putAll(evaluator.evaluate(test, evaluation).metrics());
            }
            ParameterCount params = ParameterCount.of(directory.model());
            testMetrics.put(MetricNames.PARAMS, (double) params.total());
            testMetrics.put(MetricNames.PARAMS_NON_EMBEDDING, (double) params.nonEmbedding());
            if (latency.isPresent()) {
                LatencyResult measured = LatencyBenchmark.measure(directory.model(), latency.get());
                testMetrics.put(MetricNames.LATENCY_MS_P50, measured.medianMillis());
                testMetrics.put(MetricNames.LATENCY_MS_P90, measured.p90Millis());
            }
            return new RoleResult(role, dir.toString(), step, devMetrics, testMetrics);
        }
    }
}
