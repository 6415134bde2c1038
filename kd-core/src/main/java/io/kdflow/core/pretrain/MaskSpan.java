package io.kdflow.core.pretrain;

/**
 * One span that {@link TextInfilling} replaced by a single {@code <mask>}, in the positions of the
 * original sequence: the tokens {@code [start, start + tokenCount)} (none for an inserted mask, which
 * goes before {@code start}).
 *
 * @param start      index of the first replaced token in the original ids (or the insertion point)
 * @param wordCount  the sampled span length, in words (tokens when spans are not word-aware); 0 inserts a mask
 * @param tokenCount the number of original tokens the mask replaces
 */
public record MaskSpan(int start, int wordCount, int tokenCount) {

    public MaskSpan {
        if (start < 0 || wordCount < 0 || tokenCount < wordCount) {
            throw new IllegalArgumentException("bad span start=" + start + " words=" + wordCount
                    + " tokens=" + tokenCount);
        }
    }
}
