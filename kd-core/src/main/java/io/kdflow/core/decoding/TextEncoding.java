package io.kdflow.core.decoding;

import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * How texts become model ids, the same for generating, scoring and training:
 * <ul>
 *   <li>encoder-decoder source: the tokenizer's template ({@code <s> text </s>} for BART, {@code text </s>}
 *       for T5);</li>
 *   <li>encoder-decoder target (labels): the template without a leading BOS, so it ends with EOS and the
 *       decoder start token comes first only in the decoder input (the hf-tiny fixtures' labels); when the
 *       generation config forces a BOS after the decoder start (BART checkpoints fine-tuned on
 *       {@code <s> text </s>} labels, e.g. facebook/bart-base), the BOS stays: labels are what the model
 *       generates;</li>
 *   <li>decoder-only: the prompt without special tokens; the target without special tokens plus EOS
 *       (a BOS is never part of a target).</li>
 * </ul>
 * Generated ids decode with special tokens skipped.
 */
public final class TextEncoding {

    private final TextTokenizer tokenizer;
    private final boolean encoderDecoder;
    private final Integer eos;
    private final Integer forcedBos;

    /** Targets as the model config alone implies (no forced BOS). */
    public TextEncoding(TextTokenizer tokenizer, ModelConfig config) {
        this(tokenizer, config, null);
    }

    /** Targets as the model generates them under {@code generation} (null: no forced BOS). */
    public TextEncoding(TextTokenizer tokenizer, ModelConfig config, GenerationConfig generation) {
        this.tokenizer = tokenizer;
        this.encoderDecoder = config.encoderDecoder();
        this.eos = config.specialTokens().firstEos();
        this.forcedBos = generation == null ? null : generation.forcedBosTokenId();
    }

    /** The first {@code max - 1} ids and the last one (the end-of-sequence token) when {@code ids} is longer. */
    public static long[] truncateKeepingEnd(long[] ids, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a token limit must be >= 1, got " + max);
        }
        if (ids.length <= max) {
            return ids;
        }
        long[] cut = Arrays.copyOf(ids, max);
        cut[max - 1] = ids[ids.length - 1];
        return cut;
    }

    /** The last {@code max} ids when {@code ids} is longer (a decoder-only prompt keeps the end it is continued from). */
    public static long[] keepLast(long[] ids, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a token limit must be >= 1, got " + max);
        }
        return ids.length <= max ? ids : Arrays.copyOfRange(ids, ids.length - max, ids.length);
    }

    /** True for a decoder-only model: the source becomes a prompt the target continues. */
    public boolean decoderOnly() {
        return !encoderDecoder;
    }

    /**
     * The model input for a task's source, cut to {@code maxSourceTokens}, the same for training, PTs and
     * evaluation: encoder-decoder, {@link #source} with its end token kept ({@link #truncateKeepingEnd}; the
     * prompt is not used); decoder-only, {@link #source} of {@code prompt} applied to the text, keeping its LAST
     * tokens ({@link #keepLast}) so that the template's end, where the target starts, is never cut.
     */
    public long[] input(String source, PromptTemplate prompt, int maxSourceTokens) {
        return encoderDecoder ? truncateKeepingEnd(source(source), maxSourceTokens)
                : keepLast(source(prompt.apply(source)), maxSourceTokens);
    }

    /** {@code ids} (a source or prompt given as ids) cut to {@code maxSourceTokens} as {@link #input} cuts. */
    public long[] cutInput(long[] ids, int maxSourceTokens) {
        return encoderDecoder ? truncateKeepingEnd(ids, maxSourceTokens) : keepLast(ids, maxSourceTokens);
    }

    /** Encoder input, or the prompt of a decoder-only model. */
    public long[] source(String text) {
        return encoderDecoder ? tokenizer.encode(text) : tokenizer.encodeWithoutSpecialTokens(text);
    }

    /** The labels a model is trained on and scored against for {@code text}. */
    public long[] target(String text) {
        if (encoderDecoder) {
            long[] ids = tokenizer.encode(text);
            OptionalInt bos = tokenizer.specialTokenIds().bos();
            boolean leadingBos = ids.length > 0 && bos.isPresent() && ids[0] == bos.getAsInt()
                    && (eos == null || bos.getAsInt() != eos);
            boolean keepBos = forcedBos != null && leadingBos && forcedBos == bos.getAsInt();
            return leadingBos && !keepBos ? Arrays.copyOfRange(ids, 1, ids.length) : ids;
        }
        long[] plain = tokenizer.encodeWithoutSpecialTokens(text);
        if (eos == null) {
            return plain;
        }
        long[] withEos = Arrays.copyOf(plain, plain.length + 1);
        withEos[plain.length] = eos;
        return withEos;
    }

    /** The text of generated ids (special tokens dropped). */
    public String decode(long[] generated) {
        return tokenizer.decode(generated, true);
    }
}
