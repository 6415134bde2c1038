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
 * be smaller). This is the one place epochs are shuffled; a resumed run seeks to its saved position. With
 * {@link Order#LENGTH_GROUPED} the micro-batches hold examples of similar length ({@link LengthGroupedOrder}), which
 * pads less and so trains faster, at the price of less random batches.
 */
public final class EpochBatches implements BatchSource {

    /** How an epoch's examples are put into micro-batches. */
    public enum Order {
        /** Uniformly shuffled (the paper's and the reference's batches). */
        SHUFFLED,
        /**
         * Shuffled, then grouped by length ({@link LengthGroupedOrder}); reads every example of the epoch once at
         * its start to learn its length (a list that loads its examples, a PT file's, is read one extra time).
         */
        LENGTH_GROUPED;

        /** The order a {@code group_by_length} setting asks for. */
        public static Order of(boolean groupByLength) {
            return groupByLength ? LENGTH_GROUPED : SHUFFLED;
        }
    }

    private final IntFunction<List<TrainingExample>> examplesOfEpoch;
    private final Order batchOrder;
    private final int batchSize;
    private final int epochs;
    private final long seed;
    /** The current epoch's examples (may load each when read: see {@link #shuffle}) and their shuffled order. */
    private List<TrainingExample> examples;
    private List<Integer> order;
    private int epoch;
    private long index;

    /**
     * @param examplesOfEpoch the examples of epoch e, in a fixed order (the same list for the same e)
     */
    public EpochBatches(IntFunction<List<TrainingExample>> examplesOfEpoch, int batchSize, int epochs, long seed) {
        this(examplesOfEpoch, Order.SHUFFLED, batchSize, epochs, seed);
    }

    /**
     * @param examplesOfEpoch the examples of epoch e, in a fixed order (the same list for the same e)
     * @param batchOrder how the examples are put into micro-batches
     */
    public EpochBatches(IntFunction<List<TrainingExample>> examplesOfEpoch, Order batchOrder, int batchSize,
            int epochs, long seed) {
        if (batchSize < 1 || epochs < 1) {
            throw new IllegalArgumentException("need batchSize >= 1 and epochs >= 1, got " + batchSize + ", " + epochs);
        }
        this.examplesOfEpoch = examplesOfEpoch;
        this.batchOrder = batchOrder;
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
            shuffle();
        }
        if (exhausted()) {
            return Optional.empty();
        }
        int from = (int) (index * batchSize);
        index++;
        List<TrainingExample> batch = new ArrayList<>(batchSize);
        for (int i = from; i < Math.min(order.size(), from + batchSize); i++) {
            batch.add(examples.get(order.get(i)));
        }
        return Optional.of(List.copyOf(batch));
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
        shuffle();
    }

    /** Micro-batches per epoch for {@code examples} examples. */
    public static long batchesPerEpoch(long examples, int batchSize) {
        return (examples + batchSize - 1) / batchSize;
    }

    /**
     * Shuffles the positions of the current epoch's examples, not the examples: the same permutation (shuffling
     * swaps by position), but a list that loads its examples when read (a plan over a PT file) is read a batch at a
     * time instead of whole.
     */
    private void shuffle() {
        if (exhausted()) {
            examples = List.of();
            order = List.of();
            return;
        }
        examples = examplesOfEpoch.apply(epoch);
        List<Integer> positions = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            positions.add(i);
        }
        Random random = new Random(seed * 1_000_003L + epoch);
        Collections.shuffle(positions, random);
        order = batchOrder == Order.SHUFFLED ? positions : LengthGroupedOrder.of(positions,
                examples.stream().mapToInt(TrainingExample::length).toArray(), batchSize, random);
    }
}
