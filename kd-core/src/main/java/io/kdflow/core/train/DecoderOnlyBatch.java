package io.kdflow.core.train;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.SpecialTokens;
import java.util.Arrays;

/**
 * A {@link PairBatch} as one decoder-only input per pair (PAPER-SPEC S1): prompt then target (which ends with
 * EOS), prompts LEFT-padded to one width P and targets RIGHT-padded to the batch's target width T, so every
 * target starts at column P and the logits of columns P-1 .. P+T-2 predict target tokens 0 .. T-1 in the same
 * (B, T) layout as an encoder-decoder's decoder ({@link #targetColumns()}). Position ids count real tokens only
 * (the model derives them from the mask, as {@code generate} does for left-padded prompts), so a row's numbers
 * do not depend on its padding.
 *
 * <pre>
 *   row b:   [pad .. pad | prompt_b | target_b | pad .. pad]      width P + T
 *   mask:    [ 0  ..  0  |  1 .. 1  |  1 .. 1  |  0  ..  0 ]
 *   labels:  [-100 ...  -100 ...    | target_b | -100 ... ]       transformers' convention (shifted in the loss)
 * </pre>
 *
 * <p>An empty prompt becomes the model's BOS token (the first target token needs something to follow).
 *
 * @param inputIds (B, P + T) ids; padding holds the pad id
 * @param attentionMask (B, P + T) 1 for prompt and target tokens, 0 for padding
 * @param labels (B, P + T) the target tokens at their own columns, -100 on prompts and padding
 * @param promptWidth P, the column of every row's first target token
 */
public record DecoderOnlyBatch(long[][] inputIds, long[][] attentionMask, long[][] labels, int promptWidth) {

    /**
     * @param padId id written at padded positions (never attended to, never a label)
     * @param bosId replaces an empty prompt; null when the model has none
     * @throws BadInputException when a prompt is empty and the model has no BOS token
     */
    public static DecoderOnlyBatch of(PairBatch pairs, long padId, Integer bosId) {
        int rows = pairs.labels().length;
        long[][] prompts = new long[rows][];
        int promptWidth = 0;
        for (int b = 0; b < rows; b++) {
            prompts[b] = pairs.sourceIds(b);
            if (prompts[b].length == 0) {
                if (bosId == null) {
                    throw new BadInputException("row " + b + " of the batch has an empty prompt and the model has no"
                            + " bos_token_id to start it with");
                }
                prompts[b] = new long[] {bosId};
            }
            promptWidth = Math.max(promptWidth, prompts[b].length);
        }
        int targetWidth = pairs.labels()[0].length;
        int width = promptWidth + targetWidth;
        long[][] ids = new long[rows][width];
        long[][] mask = new long[rows][width];
        long[][] labels = new long[rows][width];
        for (int b = 0; b < rows; b++) {
            Arrays.fill(ids[b], padId);
            Arrays.fill(labels[b], PairBatch.IGNORED);
            int offset = promptWidth - prompts[b].length;
            System.arraycopy(prompts[b], 0, ids[b], offset, prompts[b].length);
            Arrays.fill(mask[b], offset, promptWidth, 1);
            long[] target = pairs.labels()[b];
            for (int t = 0; t < targetWidth && target[t] != PairBatch.IGNORED; t++) {
                ids[b][promptWidth + t] = target[t];
                mask[b][promptWidth + t] = 1;
                labels[b][promptWidth + t] = target[t];
            }
        }
        return new DecoderOnlyBatch(ids, mask, labels, promptWidth);
    }

    /** The batch for a model with {@code config}: its {@link #padId} and BOS. */
    public static DecoderOnlyBatch of(PairBatch pairs, ModelConfig config) {
        return of(pairs, padId(config), config.specialTokens().bos());
    }

    /**
     * The id a model pads batches with: {@code pad_token_id}, or for a decoder-only model without one its EOS
     * (GPT-2 checkpoints have no pad token; padded positions are masked, so the id only has to be valid).
     *
     * @throws BadInputException when the config has neither
     */
    public static long padId(ModelConfig config) {
        SpecialTokens special = config.specialTokens();
        if (special.pad() != null) {
            return special.pad();
        }
        if (!config.encoderDecoder() && special.firstEos() != null) {
            return special.firstEos();
        }
        throw new BadInputException("config.json: the " + config.modelType() + " model has no pad_token_id"
                + (config.encoderDecoder() ? "" : " and no eos_token_id") + " to pad batches with");
    }

    /** The first and one-past-last column of the logits that predict the target tokens: [P - 1, P - 1 + T). */
    public int[] targetColumns() {
        int targetWidth = inputIds[0].length - promptWidth;
        return new int[] {promptWidth - 1, promptWidth - 1 + targetWidth};
    }
}
