package io.kdflow.core.eval;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * How the checkpoints of one job are evaluated: the job's {@code EvaluationSpec} (and the truncation of its
 * {@code TrainingSpec}) over an entry point's {@link Defaults}. A zero or empty field means "the
 * default"; anything else is validated, and a bad value is a {@link BadInputException} naming the field, the
 * value and what is allowed.
 *
 * @param numBeams beams of the search that produces predictions
 * @param maxNewTokens most generated tokens per prediction
 * @param maxSourceTokens source tokens kept per example
 * @param maxTargetTokens reference tokens kept (references and NLL targets are truncated to it, EOS kept)
 * @param batchSize examples per decoding / NLL batch
 * @param selectionMetric dev metric that selects the best checkpoint, one of {@link MetricNames#SELECTABLE}
 * @param maxDevExamples dev examples used (the first of the file)
 * @param maxTestExamples test examples used
 * @param devData the dev set
 * @param testData the test set, when the job is also reported on test
 * @param latency whether latency is measured
 * @param throughput whether throughput is measured
 */
public record EvaluationSettings(int numBeams, int maxNewTokens, int maxSourceTokens, int maxTargetTokens,
        int batchSize, String selectionMetric, int maxDevExamples, int maxTestExamples, Path devData,
        Optional<Path> testData, boolean latency, boolean throughput) {

    public static final int MAX_BEAMS = 64;
    public static final int MAX_NEW_TOKENS = 4096;
    private static final String FIELD = "JobSpec.evaluation.";

    public EvaluationSettings {
        if (IntStream.of(numBeams, maxNewTokens, maxSourceTokens, maxTargetTokens, batchSize, maxDevExamples,
                maxTestExamples).anyMatch(count -> count < 1) || !MetricNames.SELECTABLE.contains(selectionMetric)
                || devData == null || testData == null) {
            throw new IllegalArgumentException("evaluation settings need counts >= 1, a selectable metric and dev"
                    + " data, got beams " + numBeams + ", selection metric " + selectionMetric + ", dev " + devData);
        }
    }

    /**
     * What an entry point's own configuration gives a job whose spec leaves a value unset: the fields of
     * {@link EvaluationSettings} (with {@code maxExamples} for both splits, and the data optional).
     */
    public record Defaults(int numBeams, int maxNewTokens, int maxSourceTokens, int maxTargetTokens, int batchSize,
            String selectionMetric, int maxExamples, Optional<Path> devData, Optional<Path> testData, boolean latency,
            boolean throughput) {}

    /**
     * The settings of {@code job} (none: every default); data URIs are resolved in, and confined to, {@code store}.
     *
     * @throws BadInputException for a field out of range, an unknown selection metric, a data URI outside the
     *     store or naming no file, or no dev data at all
     */
    public static EvaluationSettings resolve(Optional<JobSpec> job, Defaults defaults, ModelStore store) {
        EvaluationSpec spec = job.map(JobSpec::getEvaluation).orElse(EvaluationSpec.getDefaultInstance());
        TrainingSpec training = job.map(JobSpec::getTraining).orElse(TrainingSpec.getDefaultInstance());
        return new EvaluationSettings(
                bounded(FIELD + "num_beams", spec.getNumBeams(), defaults.numBeams(), MAX_BEAMS),
                bounded(FIELD + "max_new_tokens", spec.getMaxNewTokens(), defaults.maxNewTokens(), MAX_NEW_TOKENS),
                bounded("JobSpec.training.max_source_tokens", training.getMaxSourceTokens(),
                        defaults.maxSourceTokens(), Integer.MAX_VALUE),
                bounded("JobSpec.training.max_target_tokens", training.getMaxTargetTokens(),
                        defaults.maxTargetTokens(), Integer.MAX_VALUE),
                defaults.batchSize(),
                selectionMetric(spec.getSelectionMetric(), defaults.selectionMetric()),
                bounded(FIELD + "max_dev_examples", spec.getMaxDevExamples(), defaults.maxExamples(), Integer.MAX_VALUE),
                bounded(FIELD + "max_test_examples", spec.getMaxTestExamples(), defaults.maxExamples(),
                        Integer.MAX_VALUE),
                data(FIELD + "dev_data_uri", spec.getDevDataUri(), defaults.devData(), store)
                        .orElseThrow(() -> new BadInputException(FIELD + "dev_data_uri: empty, and no default dev"
                                + " set is configured for the job (expected a store: URI of a JSON Lines file)")),
                data(FIELD + "test_data_uri", spec.getTestDataUri(), defaults.testData(), store),
                spec.hasMeasureLatency() ? spec.getMeasureLatency() : defaults.latency(),
                spec.hasMeasureThroughput() ? spec.getMeasureThroughput() : defaults.throughput());
    }

    /** A uint32 field: 0 takes the default, otherwise 1 to {@code max}. */
    private static int bounded(String field, int value, int fallback, int max) {
        if (value == 0) {
            return fallback;
        }
        if (value < 0 || value > max) {
            throw new BadInputException(field + ": " + Integer.toUnsignedString(value) + " is out of range (1 to "
                    + max + ", or 0 for the default " + fallback + ")");
        }
        return value;
    }

    private static String selectionMetric(String value, String fallback) {
        if (value.isEmpty()) {
            return fallback;
        }
        if (!MetricNames.SELECTABLE.contains(value)) {
            throw new BadInputException(FIELD + "selection_metric: '" + value + "' is unknown (one of "
                    + String.join(", ", MetricNames.SELECTABLE) + ")");
        }
        return value;
    }

    private static Optional<Path> data(String field, String uri, Optional<Path> fallback, ModelStore store) {
        if (uri.isEmpty()) {
            return fallback;
        }
        Path file;
        try {
            file = store.resolve(uri);
        } catch (BadInputException e) {
            throw new BadInputException(field + ": '" + uri + "' is not usable: " + e.getMessage()
                    + " (expected store:<relative path> inside the model store)", e);
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(field + ": '" + uri + "' names no file in the model store");
        }
        return Optional.of(file);
    }
}
