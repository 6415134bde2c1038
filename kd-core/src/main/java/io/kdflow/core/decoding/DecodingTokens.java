package io.kdflow.core.decoding;

import io.kdflow.core.model.config.GenerationConfig;
import java.util.List;

/**
 * The token ids decoding needs, from the generation config (which falls back to config.json).
 *
 * @param decoderStart first decoder input of encoder-decoder models (null for decoder-only)
 * @param eos          ids that end a sequence (may be empty: then sequences run to max_new_tokens)
 * @param pad          padding of batched inputs (null: 0 for prompts; encoder-decoder models need one)
 * @param bos          begin-of-sequence id, the prompt of a decoder-only model given an empty one
 * @param forcedBos    forced as the first generated token of encoder-decoder models, or null
 * @param forcedEos    forced as the last token when max_new_tokens is reached, or null
 */
record DecodingTokens(Integer decoderStart, long[] eos, Integer pad, Integer bos, Integer forcedBos,
        Integer forcedEos) {

    static DecodingTokens of(GenerationConfig config) {
        List<Integer> eos = config.eosTokenIds();
        return new DecodingTokens(config.decoderStartTokenId(), eos.stream().mapToLong(Integer::longValue).toArray(),
                config.padTokenId(), config.bosTokenId(), config.forcedBosTokenId(), config.forcedEosTokenId());
    }

    boolean isEos(long token) {
        for (long id : eos) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }
}
