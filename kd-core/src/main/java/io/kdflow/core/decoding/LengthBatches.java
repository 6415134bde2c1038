package io.kdflow.core.decoding;

import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.error.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Batches of examples of similar length. A batch is padded to its longest row, and beam search and teacher-forced
 * scoring run every row as long as the longest, so batching the file's order wastes work on padding; sorting by
 * length first (longest first, so the batch that needs the most memory comes first) removes most of it. Outputs
 * are per example and independent of the batch they ran in (the parity tests), so only the order of the work
 * changes; {@link #run} puts the results back in input order.
 */
public final class LengthBatches {

    private LengthBatches() {}

    /**
     * Runs {@code work} over {@code items} in length-sorted batches, a window of at most {@code window} consecutive
     * items at a time, and hands each window's results, in input order, to {@code windowDone}: a caller that
     * streams its output writes a window at a time and holds no more.
     *
     * @param length     an item's length (tokens)
     * @param work       one batch of items -> one result per item, in the batch's order
     * @param windowDone (index of the window's first item, the window's results in input order)
     */
    public static <T, R> void run(List<T> items, ToIntFunction<T> length, int batchSize, int window,
            Function<List<T>, List<R>> work, BiConsumer<Integer, List<R>> windowDone) {
        run(items, length, batchSize, window, work, windowDone, DecodingWorkers.serial());
    }

    /** {@link #run(List, ToIntFunction, int, int, Function, BiConsumer)} with each window's batches on {@code workers}. */
    public static <T, R> void run(List<T> items, ToIntFunction<T> length, int batchSize, int window,
            Function<List<T>, List<R>> work, BiConsumer<Integer, List<R>> windowDone, DecodingWorkers workers) {
        int first = 0;
        for (List<int[]> batches : windows(items.stream().mapToInt(length).toArray(), batchSize, window)) {
            int size = batches.stream().mapToInt(batch -> batch.length).sum();
            int offset = first;
            List<R> results = new ArrayList<>(Collections.nCopies(size, null));
            workers.run(batches, batch -> work.apply(Arrays.stream(batch).mapToObj(items::get).toList()),
                    (batch, done) -> {
                        if (done.size() != batch.length) {
                            throw new IllegalStateException(done.size() + " results for a batch of " + batch.length);
                        }
                        for (int j = 0; j < batch.length; j++) {
                            results.set(batch[j] - offset, done.get(j));
                        }
                    });
            windowDone.accept(first, results);
            first += size;
        }
    }

    /**
     * @param lengths   each example's length (tokens), in input order
     * @param batchSize most examples per batch
     * @return the batches, each a list of input indices; every index appears once
     */
    static List<int[]> of(int[] lengths, int batchSize) {
        if (batchSize < 1) {
            throw new BadInputException("batch size must be >= 1, got " + batchSize);
        }
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // stable: equal lengths keep their input order, so the batches are reproducible
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] batch = new int[to - from];
            for (int j = from; j < to; j++) {
                batch[j - from] = order[j];
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Consecutive windows of at most {@code window} examples in input order, each split into length-sorted
     * batches: a command that streams its output writes a window at a time in input order and holds no more.
     *
     * @return per window, its batches of input indices
     */
    static List<List<int[]>> windows(int[] lengths, int batchSize, int window) {
        if (window < 1) {
            throw new BadInputException("window must be >= 1, got " + window);
        }
        List<List<int[]>> windows = new ArrayList<>();
        for (int from = 0; from < lengths.length; from += window) {
            int offset = from;
            List<int[]> batches = of(Arrays.copyOfRange(lengths, from, Math.min(lengths.length, from + window)), batchSize);
            for (int[] batch : batches) {
                for (int j = 0; j < batch.length; j++) {
                    batch[j] += offset;
                }
            }
            windows.add(batches);
        }
        return windows;
    }
}
