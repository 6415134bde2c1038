package io.kdflow.core.decoding;

/**
 * A target to score given a source (encoder-decoder) or a prompt (decoder-only).
 *
 * @param sourceIds encoder input, or the prompt the target continues
 * @param targetIds the labels: the tokens whose log-probs are wanted (usually ending with EOS);
 *                  {@value io.kdflow.core.model.Labels#IGNORE_INDEX} marks a position that is fed but not scored
 */
public record ScoringPair(long[] sourceIds, long[] targetIds) {

    public ScoringPair {
        if (sourceIds == null || targetIds == null) {
            throw new IllegalArgumentException("source and target ids must not be null");
        }
        sourceIds = sourceIds.clone();
        targetIds = targetIds.clone();
    }

    @Override
    public long[] sourceIds() {
        return sourceIds.clone();
    }

    @Override
    public long[] targetIds() {
        return targetIds.clone();
    }

    int sourceLength() {
        return sourceIds.length;
    }

    int targetLength() {
        return targetIds.length;
    }

    /** Source plus target tokens: what a batch of pairs is padded by (LengthBatches). */
    public int length() {
        return sourceIds.length + targetIds.length;
    }

    long source(int index) {
        return sourceIds[index];
    }

    long target(int index) {
        return targetIds[index];
    }
}
