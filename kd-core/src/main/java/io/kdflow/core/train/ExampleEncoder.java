package io.kdflow.core.train;

import io.kdflow.core.decoding.TextEncoding;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a micro-batch of examples into a {@link TrainingBatch}: each side from the record's token ids when it
 * carries them (the ids a teacher distribution belongs to), else from its text; then cut and padded.
 */
public final class ExampleEncoder implements Function<List<TrainingExample>, TrainingBatch> {

    private final TextEncoding encoding;
    private final int maxSourceTokens;
    private final int maxTargetTokens;
    private final long padId;

    public ExampleEncoder(TextEncoding encoding, int maxSourceTokens, int maxTargetTokens, long padId) {
        this.encoding = encoding;
        this.maxSourceTokens = maxSourceTokens;
        this.maxTargetTokens = maxTargetTokens;
        this.padId = padId;
    }

    @Override
    public TrainingBatch apply(List<TrainingExample> examples) {
        long[][] sources = new long[examples.size()][];
        long[][] targets = new long[examples.size()][];
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample example = examples.get(i);
            long[] sourceIds = example.sourceIds();
            long[] targetIds = example.targetIds();
            sources[i] = sourceIds.length > 0 ? sourceIds : encoding.source(example.source());
            targets[i] = targetIds.length > 0 ? targetIds : encoding.target(example.target());
        }
        return new TrainingBatch(examples, PairBatch.ofIds(sources, targets, maxSourceTokens, maxTargetTokens, padId));
    }
}
