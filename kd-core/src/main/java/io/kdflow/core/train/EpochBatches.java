package io.kdflow.core.train;

import io.kdflow.core.error.BadInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * A finite data set read for a number of epochs: each epoch's examples (a function of the epoch, so that
 * epoch e can take pseudo-target number e mod K of every input: {@link io.kdflow.core.pt.EpochPlan#batches}) are
 * shuffled with a generator seeded from the seed and the epoch, then cut into micro-batches (the last one may
 * be smaller). This is the one place epochs are shuffled; a resumed run seeks to its saved position.
 */
public final class EpochBatches implements BatchSource {

    private final IntFunction<List<TrainingExample>> examplesOfEpoch;
    private final int batchSize;
    private final int epochs;
    private final long seed;
    private List<TrainingExample> order;
    private int epoch;
    private long index;

    /**
     * @param examplesOfEpoch the examples of epoch e, in a fixed order (the same list for the same e)
     */
    public EpochBatches(IntFunction<List<TrainingExample>> examplesOfEpoch, int batchSize, int epochs, long seed) {
        if (batchSize < 1 || epochs < 1) {
            throw new IllegalArgumentException("need batchSize >= 1 and epochs >= 1, got " + batchSize + ", " + epochs);
        }
        this.examplesOfEpoch = examplesOfEpoch;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.seed = seed;
        seek(new DataPosition(0, 0, seed));
    }

    @Override
    public Optional<List<TrainingExample>> next() {
        while (!exhausted() && index * batchSize >= order.size()) {
            epoch++;
            index = 0;
            order = exhausted() ? List.of() : shuffled(epoch);
        }
        if (exhausted()) {
            return Optional.empty();
        }
        int from = (int) (index * batchSize);
        index++;
        return Optional.of(List.copyOf(order.subList(from, Math.min(order.size(), from + batchSize))));
    }

    @Override
    public boolean exhausted() {
        return epoch >= epochs;
    }

    @Override
    public DataPosition position() {
        return new DataPosition(epoch, index, seed);
    }

    @Override
    public void seek(DataPosition position) {
        if (position.seed() != seed) {
            throw new BadInputException("the checkpoint was shuffled with seed " + position.seed()
                    + ", this source with " + seed);
        }
        epoch = position.epoch();
        index = position.index();
        order = exhausted() ? List.of() : shuffled(epoch);
    }

    /** Micro-batches per epoch for {@code examples} examples. */
    public static long batchesPerEpoch(long examples, int batchSize) {
        return (examples + batchSize - 1) / batchSize;
    }

    private List<TrainingExample> shuffled(int e) {
        List<TrainingExample> examples = new ArrayList<>(examplesOfEpoch.apply(e));
        Collections.shuffle(examples, new Random(seed * 1_000_003L + e));
        return examples;
    }
}
