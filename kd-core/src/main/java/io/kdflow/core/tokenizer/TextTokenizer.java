package io.kdflow.core.tokenizer;

import java.util.List;
import java.util.OptionalInt;

/**
 * Text to token ids and back, with the special tokens of the model's template. Ids are {@code long}
 * because model inputs are int64 tensors. Implementations hold native memory: close them.
 */
public interface TextTokenizer extends AutoCloseable {

    /** Ids of {@code text} with the template's special tokens (e.g. BART {@code <s> text </s>}). */
    long[] encode(String text);

    /** Ids of {@code text} alone, without any special token. */
    long[] encodeWithoutSpecialTokens(String text);

    /**
     * Ids of every text with the template's special tokens, each cut to at most {@code maxLength}
     * ids. Truncation removes text tokens from the end and keeps the template's special tokens, as
     * Hugging Face truncation does. No padding: rows keep their own length.
     *
     * @throws IllegalArgumentException if {@code maxLength} cannot hold the template's special tokens
     */
    long[][] batchEncode(List<String> texts, int maxLength);

    /** The text of {@code ids}; with {@code skipSpecialTokens} special tokens (pad, eos, ...) are dropped. */
    String decode(long[] ids, boolean skipSpecialTokens);

    /** Number of ids: one past the largest id of the vocabulary and the added tokens. */
    int vocabSize();

    /** Ids of the pad, bos, eos and unk tokens, where the tokenizer or the model config defines them. */
    SpecialTokenIds specialTokenIds();

    /** The id of a token string of the vocabulary or the added tokens (e.g. {@code "<mask>"}). */
    OptionalInt tokenToId(String token);

    /** Releases the native tokenizer. */
    @Override
    void close();
}
