package io.kdflow.core.local;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.compute.InterleavedLatency;
import io.kdflow.core.compute.LatencyResult;
import io.kdflow.core.compute.LatencySettings;
import io.kdflow.core.compute.ParameterCount;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.model.ModelDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report's numbers of one model: test metrics with the evaluator's decoding, the parameter count and dev
 * metrics when the caller has none; {@link #withLatency} adds the paper's batch-1 greedy latency of all roles.
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

    /**
     * The role's result.
     *
     * @param dev the checkpoint's dev metrics; empty = evaluate dev here
     */
    RoleResult evaluate(Role role, Path dir, long step, Optional<Map<String, Double>> dev, List<EvalExample> devSet,
            List<EvalExample> test) {
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(dir, manager);
                DecodingWorkers workers = DecodingWorkers.forCallingThread()) {
            SplitEvaluator evaluator = new SplitEvaluator(directory.model(), directory.tokenizer(),
                    directory.generationConfig(), prompt);
            Map<String, Double> devMetrics = dev.orElseGet(() -> evaluator.evaluate(devSet, evaluation, workers)
                    .metrics());
            Map<String, Double> testMetrics = new LinkedHashMap<>();
            if (!test.isEmpty()) {
                testMetrics.putAll(evaluator.evaluate(test, evaluation, workers).metrics());
            }
            ParameterCount params = ParameterCount.of(directory.model());
            testMetrics.put(MetricNames.PARAMS, (double) params.total());
            testMetrics.put(MetricNames.PARAMS_NON_EMBEDDING, (double) params.nonEmbedding());
            return new RoleResult(role, dir.toString(), step, devMetrics, testMetrics);
        }
    }

    /**
     * The roles with the job's latency added to their test metrics (unchanged when the job does not measure
     * it), measured with the models' calls taking turns ({@link InterleavedLatency}) so their ratio holds on a
     * shared machine.
     */
    List<RoleResult> withLatency(List<RoleResult> roles) {
        if (latency.isEmpty() || roles.isEmpty()) {
            return roles;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ModelDirectory> directories = new ArrayList<>();
            try {
                for (RoleResult role : roles) {
                    directories.add(ModelDirectory.loadWithoutTokenizer(Path.of(role.dir()), manager));
                }
                List<LatencyResult> measured = InterleavedLatency.measure(
                        directories.stream().map(ModelDirectory::model).toList(), latency.get());
                List<RoleResult> timed = new ArrayList<>();
                for (int i = 0; i < roles.size(); i++) {
                    RoleResult role = roles.get(i);
                    Map<String, Double> test = new LinkedHashMap<>(role.test());
                    test.put(MetricNames.LATENCY_MS_P50, measured.get(i).medianMillis());
                    test.put(MetricNames.LATENCY_MS_P90, measured.get(i).p90Millis());
                    timed.add(new RoleResult(role.role(), role.dir(), role.step(), role.dev(), test));
                }
                return timed;
            } finally {
                directories.forEach(ModelDirectory::close);
            }
        }
    }
}
