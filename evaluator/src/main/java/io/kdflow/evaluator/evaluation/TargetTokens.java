package io.kdflow.evaluator.evaluation;

import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.tokenizer.TextTokenizer;
import java.util.Arrays;

/**
 * Gold targets as token ids in the form the model generates them after the decoder start token: the forced
 * BOS token when the generation config forces one (BART checkpoints fine-tuned on {@code <s> text </s>}
 * labels), the text's tokens, then EOS. These are the NLL labels, and the references are decoded from them,
 * truncated to {@code maxTokens} (EOS kept) as the paper decodes references from tokenized, truncated labels.
 */
public final class TargetTokens {

    private TargetTokens() {}

    public static long[] of(TextTokenizer tokenizer, GenerationConfig generation, String text, int maxTokens) {
        if (generation.eosTokenIds().isEmpty()) {
            throw new IllegalArgumentException("the model's generation config has no eos_token_id: cannot form targets");
        }
        Integer forcedBos = generation.forcedBosTokenId();
        int prefix = forcedBos == null ? 0 : 1;
        int room = maxTokens - prefix - 1;
        if (room < 1) {
            throw new IllegalArgumentException("max target tokens " + maxTokens + " leave no room for text");
        }
        long[] content = tokenizer.encodeWithoutSpecialTokens(text);
        long[] kept = content.length > room ? Arrays.copyOf(content, room) : content;
        long[] target = new long[prefix + kept.length + 1];
        if (forcedBos != null) {
            target[0] = forcedBos;
        }
        System.arraycopy(kept, 0, target, prefix, kept.length);
        target[target.length - 1] = generation.eosTokenIds().get(0);
        return target;
    }
}
