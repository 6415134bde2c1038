package io.kdflow.core.train;

import java.util.List;

/**
 * One micro-batch: the examples and their padded inputs (encoder-decoder sources, or decoder-only prompts, apart
 * from the targets; see {@link PairBatch} and {@link DecoderOnlyBatch}). Objectives read whatever they need:
 * cross-entropy the pairs, logit KD the teacher distributions of the examples, Joint-Teaching the sources
 * (to sample targets from the current student itself).
 *
 * @param examples the micro-batch's examples, in row order of {@code pairs}
 * @param pairs their token ids, masks and labels
 */
public record TrainingBatch(List<TrainingExample> examples, PairBatch pairs) {

    public TrainingBatch {
        examples = List.copyOf(examples);
        if (examples.size() != pairs.inputIds().length) {
            throw new IllegalArgumentException(examples.size() + " examples but " + pairs.inputIds().length + " rows");
        }
    }
}
