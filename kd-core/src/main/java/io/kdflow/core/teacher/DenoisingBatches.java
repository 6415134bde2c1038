package io.kdflow.core.teacher;

import io.kdflow.core.pretrain.DenoisingExamples;
import io.kdflow.core.pretrain.DenoisingPair;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Denoising pairs through the text-level training loop: the examples of epoch e name their pair in their id
 * ({@code denoise/<epoch>/<index>}), and the batch encoder builds the noised ids from that name (pairs are a
 * pure function of seed, epoch and index), so the loop's shuffling and resume state work unchanged.
 */
final class DenoisingBatches implements Function<List<TrainingExample>, TrainingBatch> {

    private static final String PREFIX = "denoise/";

    private final DenoisingExamples pairs;
    private final long padId;

    DenoisingBatches(DenoisingExamples pairs, long padId) {
        this.pairs = pairs;
        this.padId = padId;
    }

    /** The examples of {@code epoch}: one per text, the text as both sides (for logs only). */
    static List<TrainingExample> examplesOfEpoch(List<String> texts, int epoch) {
        List<TrainingExample> examples = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            examples.add(TrainingExample.of(PREFIX + epoch + "/" + i, texts.get(i), texts.get(i)));
        }
        return examples;
    }

    @Override
    public TrainingBatch apply(List<TrainingExample> examples) {
        long[][] sources = new long[examples.size()][];
        long[][] targets = new long[examples.size()][];
        for (int row = 0; row < examples.size(); row++) {
            String[] name = examples.get(row).exampleId().substring(PREFIX.length()).split("/");
            DenoisingPair pair = pairs.pair(Integer.parseInt(name[0]), Integer.parseInt(name[1]));
            sources[row] = pair.sourceIds();
            targets[row] = pair.targetIds();
        }
        // The pairs are already cut to the denoising limits: ofIds only pads them (Integer.MAX_VALUE cuts nothing).
        return new TrainingBatch(examples, PairBatch.ofIds(sources, targets, Integer.MAX_VALUE, Integer.MAX_VALUE,
                padId));
    }
}
