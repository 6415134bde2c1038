package io.kdflow.core.eval;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What an entry point's own configuration gives a job whose {@code EvaluationSpec} leaves a value unset.
 *
 * @param numBeams beams of the prediction search (the paper: 4)
 * @param maxNewTokens most generated tokens per prediction
 * @param maxSourceTokens source tokens kept
 * @param maxTargetTokens reference and NLL-target tokens kept
 * @param batchSize examples per decoding and NLL batch (not a job setting: the machine's)
 * @param selectionMetric dev metric that selects the best checkpoint
 * @param maxExamples examples used per split
 * @param devData dev set used when the job names none
 * @param testData test set used when the job names none; empty: no test split
 * @param latency whether latency is measured
 * @param throughput whether throughput is measured
 */
public record EvaluationDefaults(int numBeams, int maxNewTokens, int maxSourceTokens, int maxTargetTokens,
        int batchSize, String selectionMetric, int maxExamples, Optional<Path> devData, Optional<Path> testData,
        boolean latency, boolean throughput) {

    /** The paper's protocol with the given data and no latency or throughput runs. */
    public static EvaluationDefaults paper(Optional<Path> devData, Optional<Path> testData) {
        return new EvaluationDefaults(4, 64, 256, 64, 16, MetricNames.BLEU, 200, devData, testData, false, false);
    }
}
