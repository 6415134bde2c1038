package io.kdflow.core.decoding;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfig;

/**
 * A decoder-only model reads its prompt and its target in one sequence, so the two together must fit the model's
 * learned positions ({@code n_positions}); encoder-decoder models encode the source apart and have no such sum.
 */
public final class PositionBudget {

    private PositionBudget() {}

    /**
     * @param what the input, for the message (e.g. {@code "example e-3"})
     * @param limits the settings that bound the two lengths, for the message
     * @throws BadInputException when {@code config} is decoder-only and {@code promptTokens + targetTokens} exceed
     *     its positions
     */
    public static void requireFits(ModelConfig config, int promptTokens, int targetTokens, String what,
            String limits) {
        int positions = config.maxPositions();
        if (config.encoderDecoder() || positions <= 0 || promptTokens + targetTokens <= positions) {
            return;
        }
        throw new BadInputException(what + ": a prompt of " + promptTokens + " tokens and " + targetTokens
                + " target tokens do not fit the " + config.modelType() + " model's " + positions
                + " positions (n_positions); lower " + limits);
    }
}
