package io.kdflow.core.pretrain;

import io.kdflow.core.error.BadInputException;

/**
 * Options of BART-style denoising pre-training, validated here so every caller reports the same messages.
 *
 * @param maskRatio        fraction of the words (tokens when {@code wholeWordSpans} is off) hidden by text
 *                         infilling, in [0, 1); BART uses 0.3
 * @param poissonLambda    mean span length of text infilling, in words, in (0, 100]; BART uses 3
 * @param permuteSentences whether the sentences of a text are shuffled before infilling
 * @param wholeWordSpans   whether spans cover whole words (BART's setting) rather than single tokens
 * @param maxSourceTokens  the most ids of a noised source, end token kept (at least 2)
 * @param maxTargetTokens  the most ids of a target, end token kept (at least 2)
 */
public record DenoisingSettings(double maskRatio, double poissonLambda, boolean permuteSentences,
                                boolean wholeWordSpans, int maxSourceTokens, int maxTargetTokens) {

    /** The prefix of every option name in messages. */
    private static final String FIELD = "denoising option ";

    public DenoisingSettings {
        if (!(maskRatio >= 0 && maskRatio < 1)) {
            throw new BadInputException(FIELD + "mask_ratio: " + maskRatio
                    + " is outside [0, 1) (the fraction of words hidden by <mask> spans; BART uses 0.3)");
        }
        if (!(poissonLambda > 0 && poissonLambda <= Poisson.MAX_LAMBDA)) {
            throw new BadInputException(FIELD + "poisson_lambda: " + poissonLambda + " is outside (0, "
                    + (int) Poisson.MAX_LAMBDA + "] (the mean span length in words; BART uses 3)");
        }
        checkTokenLimit("max_source_tokens", maxSourceTokens);
        checkTokenLimit("max_target_tokens", maxTargetTokens);
    }

    /** BART's settings (ratio 0.3, lambda 3, sentence permutation, whole-word spans) with these limits. */
    public static DenoisingSettings bart(int maxSourceTokens, int maxTargetTokens) {
        return new DenoisingSettings(0.3, 3.0, true, true, maxSourceTokens, maxTargetTokens);
    }

    private static void checkTokenLimit(String name, int value) {
        if (value < 2) {
            throw new BadInputException(FIELD + name + ": " + value
                    + " is too small (at least 2: one token and the end token)");
        }
    }
}
