package io.kdflow.core.decoding;

import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;

/**
 * Decoding choices a user states (the CLI's generation options): each non-null value overrides the model's
 * {@code generation_config.json} defaults, the rest stay as the model asks.
 *
 * @param sample             sample instead of greedy / beam search (one sequence per input, one beam unless
 *                           {@code numBeams} is given)
 * @param numReturnSequences returned beams; when sampling (asked here or by the model), samples per input
 * @param seed               sampling seed; null keeps the default (0)
 */
public record GenerationOptions(
        Integer maxNewTokens,
        Integer minNewTokens,
        Integer numBeams,
        Integer numReturnSequences,
        Double lengthPenalty,
        EarlyStopping earlyStopping,
        boolean sample,
        Integer topK,
        Double topP,
        Double temperature,
        Long seed) {

    /** No option given: the model's defaults. */
    public static GenerationOptions none() {
        return new GenerationOptions(null, null, null, null, null, null, false, null, null, null, null);
    }

    /** {@code defaults} with these options applied; the result is validated as every settings value is. */
    public GenerationSettings applyTo(GenerationSettings defaults) {
        GenerationSettings.Builder builder = defaults.toBuilder();
        if (sample) {
            builder.doSample(true).numReturnSequences(1);
            if (numBeams == null) {
                builder.numBeams(1);
            }
        }
        boolean sampling = sample || defaults.doSample();
        if (maxNewTokens != null) {
            builder.maxNewTokens(maxNewTokens);
        }
        if (minNewTokens != null) {
            builder.minNewTokens(minNewTokens);
        }
        if (numBeams != null) {
            builder.numBeams(numBeams);
        }
        if (numReturnSequences != null) {
            if (sampling) {
                builder.numSamples(numReturnSequences);
            } else {
                builder.numReturnSequences(numReturnSequences);
            }
        }
        if (lengthPenalty != null) {
            builder.lengthPenalty(lengthPenalty);
        }
        if (earlyStopping != null) {
            builder.earlyStopping(earlyStopping);
        }
        if (topK != null) {
            builder.topK(topK);
        }
        if (topP != null) {
            builder.topP(topP);
        }
        if (temperature != null) {
            builder.temperature(temperature);
        }
        if (seed != null) {
            builder.seed(seed);
        }
        return builder.build();
    }
}
