package io.kdflow.core.train;

import io.kdflow.core.decoding.TextEncoding;
import java.util.Arrays;
import java.util.List;

/**
 * Source/target pairs as padded encoder-decoder inputs, with the ids {@link TextEncoding} gives (the layout
 * of the hf-tiny references: BART source {@code <s> x </s>}, labels {@code x </s>}); the decoder inputs are
 * the labels shifted right (see {@code Labels.shiftRight}). For a decoder-only model the sources are its prompts
 * (cut by the caller, see {@link ExampleEncoder}) and the labels its targets; {@link DecoderOnlyBatch} joins them
 * into one sequence per pair.
 *
 * @param inputIds (B, S) source ids, right-padded with the pad id
 * @param attentionMask (B, S) 1 for real tokens, 0 for padding
 * @param labels (B, T) target ids, right-padded with {@link #IGNORED}
 */
public record PairBatch(long[][] inputIds, long[][] attentionMask, long[][] labels) {

    /** Label value the loss skips (PyTorch's ignore_index). */
    public static final long IGNORED = -100;

    /**
     * Encodes and pads; sources are cut to {@code maxSourceTokens}, targets to {@code maxTargetTokens}, both
     * keeping their final (end-of-sequence) token.
     */
    public static PairBatch encode(TextEncoding encoding, List<String> sources, List<String> targets,
            int maxSourceTokens, int maxTargetTokens, long padId) {
        if (sources.size() != targets.size() || sources.isEmpty()) {
            throw new IllegalArgumentException("need as many targets as sources (at least one), got "
                    + sources.size() + " sources and " + targets.size() + " targets");
        }
        long[][] sourceIds = new long[sources.size()][];
        long[][] targetIds = new long[targets.size()][];
        for (int i = 0; i < sources.size(); i++) {
            sourceIds[i] = encoding.source(sources.get(i));
            targetIds[i] = encoding.target(targets.get(i));
        }
        return ofIds(sourceIds, targetIds, maxSourceTokens, maxTargetTokens, padId);
    }

    /**
     * Pads already encoded pairs; sources are cut to {@code maxSourceTokens}, targets to
     * {@code maxTargetTokens}, both keeping their final (end-of-sequence) token.
     *
     * @param sourceIds one row of source ids per pair
     * @param targetIds one row of label ids per pair (no decoder start token)
     */
    public static PairBatch ofIds(long[][] sourceIds, long[][] targetIds, int maxSourceTokens, int maxTargetTokens,
            long padId) {
        if (sourceIds.length != targetIds.length || sourceIds.length == 0) {
            throw new IllegalArgumentException("need as many targets as sources (at least one), got "
                    + sourceIds.length + " sources and " + targetIds.length + " targets");
        }
        long[][] sources = new long[sourceIds.length][];
        long[][] targets = new long[targetIds.length][];
        for (int i = 0; i < sourceIds.length; i++) {
            sources[i] = TextEncoding.truncateKeepingEnd(sourceIds[i], maxSourceTokens);
            targets[i] = TextEncoding.truncateKeepingEnd(targetIds[i], maxTargetTokens);
        }
        long[][] inputIds = pad(sources, padId);
        long[][] mask = new long[inputIds.length][inputIds[0].length];
        for (int i = 0; i < sources.length; i++) {
            Arrays.fill(mask[i], 0, sources[i].length, 1);
        }
        return new PairBatch(inputIds, mask, pad(targets, IGNORED));
    }

    /** The unpadded source ids of row {@code row}. */
    public long[] sourceIds(int row) {
        int length = 0;
        while (length < attentionMask[row].length && attentionMask[row][length] == 1) {
            length++;
        }
        return Arrays.copyOf(inputIds[row], length);
    }

    /** Number of target tokens the loss counts. */
    public long targetTokens() {
        return Arrays.stream(labels).flatMapToLong(Arrays::stream).filter(id -> id != IGNORED).count();
    }

    private static long[][] pad(long[][] rows, long value) {
        int width = Arrays.stream(rows).mapToInt(row -> row.length).max().orElse(0);
        long[][] padded = new long[rows.length][width];
        for (int i = 0; i < rows.length; i++) {
            Arrays.fill(padded[i], value);
            System.arraycopy(rows[i], 0, padded[i], 0, rows[i].length);
        }
        return padded;
    }
}
