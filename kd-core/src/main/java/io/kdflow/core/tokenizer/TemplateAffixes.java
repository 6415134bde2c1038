package io.kdflow.core.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The special tokens a tokenizer's single-sequence template puts before and after the text
 * ({@code <s>} and {@code </s>} for BART, only {@code </s>} for T5, none for GPT-2). Found by encoding
 * a probe text with and without special tokens, so it works for every post-processor type.
 */
record TemplateAffixes(long[] prefix, long[] suffix) {

    private static final String PROBE = "probe text";

    static TemplateAffixes probe(Path file, HuggingFaceTokenizer tokenizer) {
        long[] plain = tokenizer.encode(PROBE, false, false).getIds();
        long[] full = tokenizer.encode(PROBE, true, false).getIds();
        for (int start = 0; start + plain.length <= full.length; start++) {
            if (Arrays.equals(full, start, start + plain.length, plain, 0, plain.length)) {
                return new TemplateAffixes(
                        Arrays.copyOfRange(full, 0, start),
                        Arrays.copyOfRange(full, start + plain.length, full.length));
            }
        }
        throw new TokenizerFileException(file, "its post-processor does not keep the text tokens together "
                + "(probe " + Arrays.toString(plain) + " became " + Arrays.toString(full) + ")");
    }

    /** Number of special tokens the template adds. */
    int size() {
        return prefix.length + suffix.length;
    }

    long[] wrap(long[] text) {
        long[] out = new long[size() + text.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(text, 0, out, prefix.length, text.length);
        System.arraycopy(suffix, 0, out, prefix.length + text.length, suffix.length);
        return out;
    }
}
