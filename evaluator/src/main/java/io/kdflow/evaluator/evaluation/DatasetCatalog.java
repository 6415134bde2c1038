package io.kdflow.evaluator.evaluation;

import io.kdflow.core.wire.proto.Split;
import io.kdflow.evaluator.config.EvaluatorConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which evaluation files a job uses: {@code evaluator.datasets.<job>} or else {@code evaluator.datasets.default}.
 * (The JobSpec does not carry evaluation data yet; see README.md.)
 */
public final class DatasetCatalog {

    public static final String DEFAULT = "default";

    private final Map<String, EvaluatorConfig.DatasetFiles> datasets;

    public DatasetCatalog(Map<String, EvaluatorConfig.DatasetFiles> datasets) {
        this.datasets = Map.copyOf(datasets);
    }

    /**
     * The examples of each configured split of {@code job}, dev first.
     *
     * @throws IllegalArgumentException when no dataset serves the job or a file is unreadable
     */
    public Map<Split, List<EvalExample>> load(String job, EvaluationSettings settings) {
        EvaluatorConfig.DatasetFiles files = datasets.getOrDefault(job, datasets.get(DEFAULT));
        if (files == null) {
            throw new IllegalArgumentException("no evaluation data for job " + job + ": set evaluator.datasets."
                    + job + ".dev or evaluator.datasets.default.dev");
        }
        Map<Split, List<EvalExample>> splits = new LinkedHashMap<>();
        splits.put(Split.DEV, EvalDatasetReader.read(files.dev(), settings.devExamples()));
        files.test().ifPresent(test -> splits.put(Split.TEST, EvalDatasetReader.read(test, settings.testExamples())));
        return splits;
    }

    /** The dev file that would serve {@code job}, for logs. */
    public Path devFileOf(String job) {
        EvaluatorConfig.DatasetFiles files = datasets.getOrDefault(job, datasets.get(DEFAULT));
        return files == null ? null : files.dev();
    }
}
