package io.kdflow.evaluator.evaluation;

/**
 * How one checkpoint is evaluated: the evaluator's config with the job's {@code EvaluationSpec} over it.
 *
 * @param numBeams beams of the search that produces predictions
 * @param maxNewTokens most generated tokens per prediction
 * @param maxSourceTokens source tokens kept per example
 * @param maxTargetTokens reference tokens kept (references and NLL targets are truncated to it)
 * @param batchSize examples per decoding / NLL batch
 * @param selectionMetric dev metric that selects the best checkpoint
 * @param devExamples dev examples used
 * @param testExamples test examples used
 */
public record EvaluationSettings(int numBeams, int maxNewTokens, int maxSourceTokens, int maxTargetTokens,
        int batchSize, String selectionMetric, int devExamples, int testExamples) {

    public EvaluationSettings {
        if (numBeams < 1 || maxNewTokens < 1 || maxSourceTokens < 1 || maxTargetTokens < 1 || batchSize < 1
                || devExamples < 1 || testExamples < 1) {
            throw new IllegalArgumentException("evaluation settings must be >= 1: num-beams " + numBeams
                    + ", max-new-tokens " + maxNewTokens + ", max-source-tokens " + maxSourceTokens
                    + ", max-target-tokens " + maxTargetTokens + ", batch-size " + batchSize + ", examples "
                    + devExamples + "/" + testExamples);
        }
        if (selectionMetric == null || selectionMetric.isBlank()) {
            throw new IllegalArgumentException("selection metric must not be empty");
        }
    }
}
