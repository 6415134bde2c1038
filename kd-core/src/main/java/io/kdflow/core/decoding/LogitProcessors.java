package io.kdflow.core.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * The score changes {@code generate} applies before choosing a token, in its order: EOS forbidden
 * before min_new_tokens, then the forced first token (encoder-decoder models) and the forced last
 * token. They work the same on logits (greedy, sampling) and on log-probs (beam search): a banned
 * token gets -inf, a forced one 0 and every other token -inf.
 */
final class LogitProcessors {

    private final DecodingTokens tokens;
    private final int minNewTokens;
    private final int maxNewTokens;
    private final boolean encoderDecoder;

    LogitProcessors(DecodingTokens tokens, GenerationSettings settings, boolean encoderDecoder) {
        this.tokens = tokens;
        this.minNewTokens = settings.minNewTokens();
        this.maxNewTokens = settings.maxNewTokens();
        this.encoderDecoder = encoderDecoder;
    }

    /**
     * @param scores (rows, V), never changed
     * @param step   tokens generated so far (0 for the first generated token)
     * @return {@code scores} itself when nothing applies at this step, else a processed copy
     */
    NDArray apply(NDArray scores, int step) {
        NDArray result = scores;
        if (step < minNewTokens && tokens.eos().length > 0) {
            result = result.duplicate();
            for (long eos : tokens.eos()) {
                result.set(new NDIndex(":, {}", eos), Float.NEGATIVE_INFINITY);
            }
        }
        if (step == 0 && encoderDecoder && tokens.forcedBos() != null) {
            result = forced(result, tokens.forcedBos());
        }
        if (step == maxNewTokens - 1 && tokens.forcedEos() != null) {
            result = forced(result, tokens.forcedEos());
        }
        return result;
    }

    private static NDArray forced(NDArray scores, int token) {
        NDArray forced = scores.getManager().full(scores.getShape(), Float.NEGATIVE_INFINITY);
        forced.set(new NDIndex(":, {}", token), 0f);
        return forced;
    }
}
